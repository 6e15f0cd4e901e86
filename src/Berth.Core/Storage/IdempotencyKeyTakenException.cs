namespace Berth.Core.Storage;

/// <summary>
/// A request was not saved because another request of the same agent already holds its idempotency key in the same scope
/// (another server, sharing the database, stored it first). Nothing of the failed save was kept; the stored request is found
/// with <see cref="IRequestStore.FindByKeyAsync"/>.
/// </summary>
public sealed class IdempotencyKeyTakenException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public IdempotencyKeyTakenException()
        : this("the idempotency key is held by another request")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public IdempotencyKeyTakenException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the store's own error.</summary>
    public IdempotencyKeyTakenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The request that was not saved; null when unknown.</summary>
    public string? RequestId { get; init; }

    /// <summary>The agent the request is for; null when unknown.</summary>
    public string? AgentName { get; init; }

    /// <summary>The scope of the key (the caller's); null when unknown.</summary>
    public string? Scope { get; init; }

    /// <summary>The key; null when unknown.</summary>
    public string? Key { get; init; }
}
