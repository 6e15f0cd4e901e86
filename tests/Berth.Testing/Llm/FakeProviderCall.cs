namespace Berth.Testing.Llm;

/// <summary>A call a <see cref="FakeModelProvider"/> received, as it arrived.</summary>
/// <param name="Path">The request path, like <c>/v1/chat/completions</c>.</param>
/// <param name="Headers">Every header, names lowercased.</param>
/// <param name="Body">The body as text.</param>
public sealed record FakeProviderCall(string Path, IReadOnlyDictionary<string, string> Headers, string Body);
