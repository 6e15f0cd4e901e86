namespace Berth.Server.Tests.Requests.Support;

/// <summary>What the proxy answered a caller: status, body, and the <c>Berth-Request-Id</c> header (null when absent).</summary>
internal sealed record ProxyAnswer(int Status, string Body, string? RequestId);
