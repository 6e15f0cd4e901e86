using Berth.Core.Requests;
using Berth.Core.Storage;

namespace Berth.Storage.Sql;

/// <summary>
/// Writes the batches of <see cref="IRequestStore.SaveAsync"/> (the rows of <see cref="RequestSave"/>), each in one
/// transaction, the way that engine writes many rows cheapest: the proxy's journal commits a batch per group of concurrent
/// requests, so this is on its hot path.
/// </summary>
internal interface IRequestWriter
{
    /// <summary>
    /// Saves <paramref name="requests"/> (at least one) in one transaction; on any error nothing of the batch is kept.
    /// </summary>
    /// <exception cref="IdempotencyKeyTakenException">A request's key is held by another request.</exception>
    /// <exception cref="ArgumentException">A request saved without its message is not stored.</exception>
    /// <exception cref="StorageFullException">The database's disk is full.</exception>
    Task SaveAsync(IReadOnlyList<ProxiedRequest> requests, CancellationToken cancellationToken);
}
