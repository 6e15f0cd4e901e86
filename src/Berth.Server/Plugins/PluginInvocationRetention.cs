using Berth.Core.Storage;
using Berth.Server.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Plugins;

/// <summary>Deletes plugin invocation records older than <c>Berth:Plugins:InvocationRetentionDays</c>: once at start, then every hour.</summary>
internal sealed class PluginInvocationRetention(IPluginStore store, IOptions<PluginOptions> options, TimeProvider time, ILogger<PluginInvocationRetention> logger)
    : HourlyRetention(time, logger)
{
    protected override string Described =>
        $"plugin invocation records older than {options.Value.InvocationRetentionDays} days (Berth:Plugins:InvocationRetentionDays)";

    protected override Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        store.PurgeInvocationsAsync(now.AddDays(-options.Value.InvocationRetentionDays), cancellationToken);
}
