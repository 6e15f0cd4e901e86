using Berth.Core.Security;

namespace Berth.Core.Storage;

/// <summary>
/// The append-only audit log. There is deliberately no way to change a record, and the only deletion is retention's
/// (<see cref="PurgeAsync"/>); the SQLite table refuses UPDATE, and DELETE of any record younger than a day.
/// </summary>
public interface IAuditStore
{
    /// <summary>Stores <paramref name="records"/> in order, in one transaction; their <see cref="AuditRecord.Id"/> is ignored and assigned by the store.</summary>
    Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    /// <summary>Deletes the records older than <paramref name="before"/> (retention); returns how many. Records younger than a day are never deleted.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>The records matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken);
}
