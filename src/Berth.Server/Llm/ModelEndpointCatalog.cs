using System.Collections.Frozen;
using Berth.Core.Llm;
using Berth.Core.Storage;
using Berth.Server.Security;

namespace Berth.Server.Llm;

/// <summary>
/// The applied model endpoints as the gateway reads them: a snapshot of the store, read again once it is older than
/// <see cref="Lifetime"/> (so an endpoint applied through another server takes effect within that) or at once after this
/// server applies or removes one.
/// </summary>
internal sealed class ModelEndpointCatalog(IModelEndpointStore store, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly SingleFlight<string, Snapshot> _reads = new(StringComparer.Ordinal);

    private volatile Snapshot? _snapshot;

    /// <summary>The endpoint named <paramref name="name"/>, or null when none is applied.</summary>
    public async ValueTask<ModelEndpointSpec?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is null || time.GetUtcNow() - snapshot.ReadAt >= Lifetime)
        {
            // Calls that find the snapshot stale together share one read.
            snapshot = await _reads.RunAsync("all", ReadAsync, cancellationToken);
        }

        return snapshot.Endpoints.GetValueOrDefault(name);
    }

    /// <summary>Forgets the snapshot, so the next call reads the store (after this server changed it).</summary>
    public void Invalidate() => _snapshot = null;

    private async Task<Snapshot> ReadAsync(string _)
    {
        var readAt = time.GetUtcNow();
        var endpoints = await store.ListAsync(CancellationToken.None);
        var snapshot = new Snapshot(endpoints.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal), readAt);
        _snapshot = snapshot;
        return snapshot;
    }

    private sealed record Snapshot(FrozenDictionary<string, ModelEndpointSpec> Endpoints, DateTimeOffset ReadAt);
}
