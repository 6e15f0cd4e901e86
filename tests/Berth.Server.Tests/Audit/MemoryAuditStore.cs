using Berth.Core.Security;
using Berth.Core.Storage;

namespace Berth.Server.Tests.Audit;

/// <summary>An audit store in memory that can be told to fail its next append.</summary>
internal sealed class MemoryAuditStore : IAuditStore
{
    private readonly Lock _gate = new();
    private readonly List<AuditRecord> _records = [];

    public int FailuresToCome { get; set; }

    public IReadOnlyList<AuditRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    public Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (FailuresToCome > 0)
            {
                FailuresToCome--;
                throw new IOException("disk full");
            }

            _records.AddRange(records.Select((r, i) => r with { Id = _records.Count + i + 1 }));
        }

        return Task.CompletedTask;
    }

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_records.RemoveAll(r => r.Time < before));
        }
    }

    public Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AuditRecord>>(Records.Reverse().Take(query.Limit).ToList());
}
