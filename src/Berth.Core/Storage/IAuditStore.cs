using Berth.Core.Security;

namespace Berth.Core.Storage;

/// <summary>
/// The append-only audit log. There is deliberately no way to change or delete a record through this interface
/// (and the SQLite table refuses UPDATE and DELETE).
/// </summary>
public interface IAuditStore
{
    /// <summary>Stores <paramref name="records"/> in order, in one transaction; their <see cref="AuditRecord.Id"/> is ignored and assigned by the store.</summary>
    Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    /// <summary>The records matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken);
}
