namespace Berth.Client.Contracts;

/// <summary>One stored request with what was sent and what the agent answered.</summary>
/// <param name="Request">The request's summary.</param>
/// <param name="Sent">Headers and body as sent to the agent.</param>
/// <param name="Response">The stored answer; null until the request completes.</param>
public sealed record RequestDetail(RequestView Request, MessageView Sent, ResponseView? Response);

/// <summary>Headers and a body. Text bodies are given as text; others as base64 with <see cref="BodyEncoding"/> <c>base64</c>.</summary>
/// <param name="Headers">Headers in order; a name may repeat.</param>
/// <param name="Body">The body.</param>
/// <param name="BodyEncoding"><c>utf-8</c> or <c>base64</c>.</param>
public sealed record MessageView(IReadOnlyList<KeyValuePair<string, string>> Headers, string Body, string BodyEncoding);

/// <summary>A stored response.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Message">Headers and body (possibly cut, see <paramref name="Truncated"/>).</param>
/// <param name="Truncated">Whether only the start of the body was stored.</param>
/// <param name="Length">The whole body's length in bytes.</param>
public sealed record ResponseView(int Status, MessageView Message, bool Truncated, long Length);
