using Berth.Core.Storage;
using Berth.Server.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Audit;

/// <summary>Deletes audit records older than <c>Berth:Audit:RetentionDays</c>: once at start, then every hour.</summary>
internal sealed class AuditRetention(IAuditStore store, IOptions<AuditSettings> settings, TimeProvider time, ILogger<AuditRetention> logger)
    : HourlyRetention(time, logger)
{
    protected override string Described => $"audit records older than {settings.Value.RetentionDays} days (Berth:Audit:RetentionDays)";

    protected override Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        store.PurgeAsync(now.AddDays(-settings.Value.RetentionDays), cancellationToken);
}
