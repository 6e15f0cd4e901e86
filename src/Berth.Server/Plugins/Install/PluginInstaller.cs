using System.Collections.Concurrent;
using Berth.Client.Contracts;
using Berth.Core.Plugins;
using Berth.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Plugins.Install;

/// <summary>
/// Installs (or only checks) a plugin package: unpack into staging, read the manifest, run the contract check, then move the
/// folder to <c>DIR/ID/VERSION</c>, register the version and create its pool. Nothing is registered and no folder is kept
/// unless every check passed. One install or check of an id and version runs at a time.
/// </summary>
internal sealed partial class PluginInstaller(
    PluginPackage package, PluginContractCheck check, IPluginStore store, PluginPools pools, PluginCatalog catalog,
    IOptions<PluginOptions> options, TimeProvider time, ILogger<PluginInstaller> logger)
{
    private readonly ConcurrentDictionary<string, byte> _busy = new(StringComparer.Ordinal);

    /// <summary>
    /// Unpacks and checks the package in <paramref name="body"/>; with <paramref name="installedBy"/> (a principal) it also
    /// installs a version that passed. Throws <see cref="PluginPackageException"/> for a package refused before its manifest is read.
    /// </summary>
    public async Task<PluginInstallOutcome> RunAsync(Stream body, string source, string? installedBy, CancellationToken cancellationToken)
    {
        var staged = await package.StageAsync(body, cancellationToken);
        try
        {
            var manifest = PluginManifestReader.Read(staged.Root);
            var report = new PluginCheckReport { Passed = false, Digest = staged.Digest, Notes = manifest.Notes, Id = manifest.Spec?.Name, Version = manifest.Spec?.Version };
            if (!manifest.IsValid)
            {
                var failed = new PluginCheck { Name = "manifest", Passed = false, Message = string.Join("; ", manifest.Errors.Select(e => e.ToString())) };
                return new PluginInstallOutcome(report with { Checks = [failed] }, ManifestErrors: manifest.Errors);
            }

            var spec = manifest.Spec!;
            var reference = $"{spec.Name}@{spec.Version}";
            var read = new PluginCheck { Name = "manifest", Passed = true, Message = $"{manifest.File}: {reference}, runtime {(spec.Runtime == Core.Specs.PluginRuntime.Process ? "process" : "container")}" };
            if (installedBy is not null && await store.GetAsync(spec.Name, spec.Version, cancellationToken) is not null)
            {
                return new PluginInstallOutcome(report with { Checks = [read] }, Conflict: $"{reference} is already installed; versions are immutable: raise spec.version, or remove it first with 'berth plugins rm {reference}'");
            }

            if (!_busy.TryAdd(reference, 0))
            {
                return new PluginInstallOutcome(report with { Checks = [read] }, Conflict: $"{reference} is being installed or checked right now; try again when that has finished");
            }

            try
            {
                var checks = new List<PluginCheck> { read };
                checks.AddRange(await check.RunAsync(spec, staged.Root, cancellationToken));
                report = report with { Checks = checks, Passed = checks.All(c => c.Passed) };
                if (!report.Passed || installedBy is null)
                {
                    return new PluginInstallOutcome(report);
                }

                var installed = await RegisterAsync(manifest, staged, source, installedBy, cancellationToken);
                return installed is null
                    ? new PluginInstallOutcome(report, Conflict: $"{reference} was installed by someone else meanwhile")
                    : new PluginInstallOutcome(report, installed);
            }
            finally
            {
                _busy.TryRemove(reference, out _);
            }
        }
        finally
        {
            PluginPackage.Remove(staged.Staging);
        }
    }

    /// <summary>Removes one version, or every version when <paramref name="version"/> is null; returns the versions removed.</summary>
    public async Task<IReadOnlyList<string>> RemoveAsync(string id, string? version, CancellationToken cancellationToken)
    {
        var versions = (await store.ListAsync(id, cancellationToken)).Where(p => version is null || string.Equals(p.Version, version, StringComparison.Ordinal)).ToList();
        var removed = new List<string>();
        foreach (var plugin in versions)
        {
            if (!await store.DeleteAsync(plugin.Id, plugin.Version, cancellationToken))
            {
                continue;
            }

            await pools.RemoveAsync(plugin, cancellationToken);
            catalog.Forget(plugin);
            if (PluginManifestReader.IsInside(Path.TrimEndingDirectorySeparator(options.Value.Directory), plugin.Directory))
            {
                PluginPackage.Remove(plugin.Directory);
            }

            removed.Add(plugin.Version);
            LogRemoved(logger, plugin.Id, plugin.Version);
        }

        var folder = Path.Combine(options.Value.Directory, id);
        if (removed.Count > 0 && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }

        return removed;
    }

    private async Task<PluginRecord?> RegisterAsync(PluginManifest manifest, StagedPackage staged, string source, string installedBy, CancellationToken cancellationToken)
    {
        var spec = manifest.Spec!;
        var parent = Path.Combine(options.Value.Directory, spec.Name);
        var final = Path.Combine(parent, spec.Version); // a strict semver holds no '/' and no empty part, so it stays one folder
        PluginPackage.CreateFolder(parent);
        PluginPackage.Remove(final); // left by a server that died between the move and the store: nothing refers to it
        Directory.Move(staged.Root, final);
        var record = new PluginRecord
        {
            Id = spec.Name,
            Version = spec.Version,
            Spec = PluginManifestReader.Rebase(spec, staged.Root, final),
            Directory = final,
            Digest = staged.Digest,
            Source = source,
            Notes = manifest.Notes,
            InstalledAt = time.GetUtcNow(),
            InstalledBy = installedBy,
        };
        if (!await store.AddAsync(record, cancellationToken))
        {
            PluginPackage.Remove(final);
            return null;
        }

        catalog.Installed(record);
        await pools.EnsureAsync(record, cancellationToken);
        LogInstalled(logger, record.Id, record.Version, record.Digest);
        return record;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Plugin {PluginId}@{PluginVersion} installed ({Digest})")]
    private static partial void LogInstalled(ILogger logger, string pluginId, string pluginVersion, string digest);

    [LoggerMessage(Level = LogLevel.Information, Message = "Plugin {PluginId}@{PluginVersion} removed")]
    private static partial void LogRemoved(ILogger logger, string pluginId, string pluginVersion);
}
