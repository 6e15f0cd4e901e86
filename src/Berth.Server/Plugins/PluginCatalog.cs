using System.Collections.Concurrent;
using Berth.Core.Plugins;
using Berth.Core.Storage;

namespace Berth.Server.Plugins;

/// <summary>
/// Finds installed plugin versions: a reference (<c>id</c>, <c>id@1.2.0</c>, <c>id@^1</c>) becomes the newest installed
/// version it accepts. Each version's schemas are built once and kept while it stays installed.
/// </summary>
internal sealed class PluginCatalog(IPluginStore store)
{
    private readonly ConcurrentDictionary<string, PluginSchemas> _schemas = new(StringComparer.Ordinal);

    /// <summary>The installed version <paramref name="reference"/> names, or null when none is installed.</summary>
    public async Task<PluginRecord?> ResolveAsync(PluginReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var installed = await store.ListAsync(reference.Id, cancellationToken);
        var version = reference.Choose(installed.Select(p => p.Version));
        return version is null ? null : installed.First(p => string.Equals(p.Version, version, StringComparison.Ordinal));
    }

    /// <summary>The built schemas of an installed version. Throws <see cref="PluginSchemaException"/> when they do not build.</summary>
    public PluginSchemas SchemasOf(PluginRecord plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        return _schemas.GetOrAdd($"{plugin.Reference}\0{plugin.Digest}", _ => PluginSchemas.Build(plugin.Spec.Inputs, plugin.Spec.Outputs));
    }

    /// <summary>Drops what is kept of a version that was removed.</summary>
    public void Forget(PluginRecord plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        _schemas.TryRemove($"{plugin.Reference}\0{plugin.Digest}", out _);
    }
}
