using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Core.Workflows.Specs;
using Berth.Server.Capabilities;
using Berth.Server.Plugins.Execution;
using Semver;

namespace Berth.Server.Workflows.Steps;

/// <summary>
/// Routes a plugin step that asks for a capability to the installed plugin versions that declare it, anew on each attempt:
/// versions whose breaker is closed first, then fewest calls in flight, then the newest version. A transient failure or an
/// open breaker passes the call to the next version; any other failure is the step's. Agents that declare the capability are
/// never called here (an agent step is how to reach them).
/// </summary>
internal sealed class PluginCapabilityRoute
{
    // Installed versions are semver (install refuses others); were one not, it would be tried after every real version.
    private static readonly SemVersion Unversioned = SemVersion.Parse("0.0.0-0", SemVersionStyles.Strict);

    private readonly CapabilityRegistry _registry;

    private PluginCapabilityRoute(CapabilityRegistry registry, string capability) => (_registry, Capability) = (registry, capability);

    /// <summary>The capability routed.</summary>
    public string Capability { get; }

    /// <summary>The route for <paramref name="capability"/>; a <c>config</c> failure saying what provides it when no installed plugin does.</summary>
    public static async Task<PluginCapabilityRoute> FindAsync(CapabilityRegistry registry, string capability, CancellationToken cancellationToken)
    {
        var route = new PluginCapabilityRoute(registry, capability);
        await route.ProvidersAsync(cancellationToken);
        return route;
    }

    /// <summary>
    /// Calls the providers in order with <paramref name="call"/> until one serves. <paramref name="failure"/> turns a provider's
    /// failure into the step's; <paramref name="note"/> hears each failover.
    /// </summary>
    public async Task<PluginCallResult> CallAsync(
        Func<CapabilityProvider, CancellationToken, Task<PluginCallResult>> call,
        Func<PluginCallException, StepRunException> failure,
        Action<string> note,
        CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var allOpen = true;
        foreach (var provider in Order(await ProvidersAsync(cancellationToken)))
        {
            try
            {
                return await call(provider, cancellationToken);
            }
            catch (PluginCallException ex) when (ex.Class is ErrorClass.Transient or ErrorClass.CircuitOpen)
            {
                allOpen &= ex.Class == ErrorClass.CircuitOpen;
                failures.Add($"{provider.Id}: {ex.Message}");
                note($"{provider.Id} could not serve capability '{Capability}' ({ErrorClassNames.Format(ex.Class)}: {ex.Message}); trying the next provider");
            }
            catch (PluginCallException ex)
            {
                throw failure(ex);
            }
        }

        throw new StepRunException(
            allOpen ? ErrorClass.CircuitOpen : ErrorClass.Transient,
            failures.Count == 0
                ? $"no plugin providing capability '{Capability}' can serve now"
                : $"no plugin providing capability '{Capability}' could take the call: {string.Join("; ", failures)}");
    }

    private async Task<IReadOnlyList<CapabilityProvider>> ProvidersAsync(CancellationToken cancellationToken)
    {
        var providers = await _registry.FindAsync(Capability, cancellationToken);
        var plugins = providers.Where(p => p.Kind == CapabilityProvider.PluginKind && p.Plugin is not null).ToList();
        if (plugins.Count > 0)
        {
            return plugins;
        }

        var agents = providers.Select(p => p.Id).Distinct(StringComparer.Ordinal).ToList();
        throw new StepRunException(ErrorClass.Config, agents.Count > 0
            ? $"capability '{Capability}' is provided only by agents ({string.Join(", ", agents)}), not by an installed plugin; call it with an agent step (agent: {{capability: {Capability}}})"
            : $"nothing provides capability '{Capability}': no installed plugin or applied agent declares it; install a plugin that does (berth plugins install DIR), or see berth capabilities ls");
    }

    private IEnumerable<CapabilityProvider> Order(IReadOnlyList<CapabilityProvider> providers) => providers
        .Select(p => (Provider: p, Health: _registry.HealthOf(p)))
        .Where(p => p.Health.CanServe)
        .OrderBy(p => p.Health.Breaker == "open")
        .ThenBy(p => p.Health.Outstanding)
        .ThenByDescending(p => SemVersion.TryParse(p.Provider.Plugin!.Version, SemVersionStyles.Strict, out var v) ? v : Unversioned, SemVersion.PrecedenceComparer)
        .ThenBy(p => p.Provider.Name, StringComparer.Ordinal)
        .Select(p => p.Provider);
}
