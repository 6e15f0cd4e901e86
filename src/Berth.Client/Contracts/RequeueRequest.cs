namespace Berth.Client.Contracts;

/// <summary>The body of <c>POST /api/v1/subscriptions/{name}/requeue</c>: which dead letters to deliver again.</summary>
public sealed record RequeueRequest
{
    /// <summary>The message ids; null for every dead letter of the subscription.</summary>
    public IReadOnlyList<string>? Ids { get; init; }
}
