using Berth.Core.Plugins;

namespace Berth.Core.Storage;

/// <summary>Installed plugin versions and the record of their calls. Implementations are safe for concurrent use.</summary>
public interface IPluginStore
{
    /// <summary>The installed version, or null when it is not installed.</summary>
    Task<PluginRecord?> GetAsync(string id, string version, CancellationToken cancellationToken);

    /// <summary>Every installed version, of one plugin when <paramref name="id"/> is given, ordered by id then installation time.</summary>
    Task<IReadOnlyList<PluginRecord>> ListAsync(string? id, CancellationToken cancellationToken);

    /// <summary>Registers an installed version. Returns false, changing nothing, when that version is already installed.</summary>
    Task<bool> AddAsync(PluginRecord plugin, CancellationToken cancellationToken);

    /// <summary>Forgets an installed version (its invocations stay). Returns false when it was not installed.</summary>
    Task<bool> DeleteAsync(string id, string version, CancellationToken cancellationToken);

    /// <summary>Records one call.</summary>
    Task AddInvocationAsync(PluginInvocation invocation, CancellationToken cancellationToken);

    /// <summary>Records several calls, in one transaction where the store can. By default one <see cref="AddInvocationAsync"/> each.</summary>
    async Task AddInvocationsAsync(IReadOnlyList<PluginInvocation> invocations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocations);
        foreach (var invocation in invocations)
        {
            await AddInvocationAsync(invocation, cancellationToken);
        }
    }

    /// <summary>The newest calls of a plugin (every version), newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<PluginInvocation>> ListInvocationsAsync(string id, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes the records of calls that began before <paramref name="before"/>; returns how many went.</summary>
    Task<int> PurgeInvocationsAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
