namespace Berth.Core.Llm;

/// <summary>An answer in Berth's LLM response cache.</summary>
/// <param name="Key">Lowercase hex SHA-256 of the endpoint, the path and the body sent.</param>
/// <param name="Endpoint">The endpoint that answered.</param>
/// <param name="ContentType">The answer's content type.</param>
/// <param name="Body">The answer's body, as the provider sent it.</param>
/// <param name="ExpiresAt">When it stops being served.</param>
public sealed record CachedAnswer(string Key, string Endpoint, string? ContentType, byte[] Body, DateTimeOffset ExpiresAt);
