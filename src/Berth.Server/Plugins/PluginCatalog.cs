using System.Collections.Concurrent;
using Berth.Core.Plugins;
using Berth.Core.Storage;

namespace Berth.Server.Plugins;

/// <summary>
/// Finds installed plugin versions: a reference (<c>id</c>, <c>id@1.2.0</c>, <c>id@^1</c>) becomes the newest installed
/// version it accepts. A plugin's versions are read from the store at most once a second (every call resolves its
/// reference) and at once after this server installs or removes one; another server sharing the store is seen within the
/// second. Each version's schemas are built once and kept while it stays installed.
/// </summary>
internal sealed class PluginCatalog(IPluginStore store, TimeProvider time)
{
    private static readonly TimeSpan VersionsLifetime = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, PluginSchemas> _schemas = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long ReadAt, IReadOnlyList<PluginRecord> Versions)> _versions = new(StringComparer.Ordinal);

    /// <summary>The installed version <paramref name="reference"/> names, or null when none is installed.</summary>
    public async Task<PluginRecord?> ResolveAsync(PluginReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var installed = await VersionsAsync(reference.Id, cancellationToken);
        var version = reference.Choose(installed.Select(p => p.Version));
        return version is null ? null : installed.First(p => string.Equals(p.Version, version, StringComparison.Ordinal));
    }

    /// <summary>The built schemas of an installed version. Throws <see cref="PluginSchemaException"/> when they do not build.</summary>
    public PluginSchemas SchemasOf(PluginRecord plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        return _schemas.GetOrAdd($"{plugin.Reference}\0{plugin.Digest}", _ => PluginSchemas.Build(plugin.Spec.Inputs, plugin.Spec.Outputs));
    }

    /// <summary>Reads a plugin's versions again at its next call: one was installed here.</summary>
    public void Installed(PluginRecord plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        _versions.TryRemove(plugin.Id, out _);
    }

    /// <summary>Drops what is kept of a version that was removed.</summary>
    public void Forget(PluginRecord plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        _schemas.TryRemove($"{plugin.Reference}\0{plugin.Digest}", out _);
        _versions.TryRemove(plugin.Id, out _);
    }

    private async Task<IReadOnlyList<PluginRecord>> VersionsAsync(string id, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue(id, out var kept) && time.GetElapsedTime(kept.ReadAt) < VersionsLifetime)
        {
            return kept.Versions;
        }

        var readAt = time.GetTimestamp();
        var versions = await store.ListAsync(id, cancellationToken);
        _versions[id] = (readAt, versions);
        return versions;
    }
}
