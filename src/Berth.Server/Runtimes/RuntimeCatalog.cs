using System.Collections.Concurrent;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Server.Runtimes;

/// <summary>
/// The runtime drivers this server uses and whether each one answers right now. Availability is
/// refreshed by the reconciler on every pass, so an engine started after the server is picked up.
/// </summary>
internal sealed class RuntimeCatalog
{
    private readonly IReadOnlyList<IAgentRuntime> _drivers;
    private readonly ConcurrentDictionary<string, string?> _unavailable = new(StringComparer.Ordinal);

    public RuntimeCatalog(IEnumerable<IAgentRuntime> drivers, IOptions<BerthOptions> options)
    {
        var mode = options.Value.Runtime;
        _drivers = drivers.Where(d => mode != RuntimeMode.Process || d.Supports(AgentKind.Process)).ToList();
    }

    /// <summary>Every configured driver, available or not.</summary>
    public IReadOnlyList<IAgentRuntime> Drivers => _drivers;

    /// <summary>Names of the drivers that answered on the last check.</summary>
    public IReadOnlyList<string> AvailableNames => _drivers.Where(IsAvailable).Select(d => d.Name).ToList();

    /// <summary>The available driver for agents of this kind, or null (see <see cref="Explain"/>).</summary>
    public IAgentRuntime? For(AgentKind kind) => _drivers.FirstOrDefault(d => d.Supports(kind) && IsAvailable(d));

    /// <summary>The configured driver for agents of this kind, available or not.</summary>
    public IAgentRuntime? Configured(AgentKind kind) => _drivers.FirstOrDefault(d => d.Supports(kind));

    /// <summary>Why no driver can run agents of this kind, phrased for the person who applied the agent.</summary>
    public string Explain(AgentKind kind)
    {
        var driver = Configured(kind);
        if (driver is null)
        {
            return kind == AgentKind.Container
                ? "container agents need the docker runtime, and this server runs with --runtime process; restart it with --runtime auto, or run the agent as a process (spec.process)"
                : "no runtime driver for process agents is configured";
        }

        _unavailable.TryGetValue(driver.Name, out var reason);
        return $"the {driver.Name} runtime is not available: {reason ?? "it did not answer"}";
    }

    /// <summary>Asks every driver whether it answers, so availability is known before the first reconciler pass.</summary>
    public async Task RefreshAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        foreach (var driver in _drivers)
        {
            if (driver.Supports(AgentKind.Process))
            {
                // Local, so it always answers; and listing it adopts its instances, which is the leader's job alone.
                MarkAvailable(driver);
                continue;
            }

            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(timeout);
            try
            {
                await driver.ListAsync(bounded.Token);
                MarkAvailable(driver);
            }
            catch (Exception ex) when (ex is RuntimeException or HttpRequestException or IOException ||
                                       (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                MarkUnavailable(driver, ex is OperationCanceledException ? $"it did not answer within {timeout.TotalSeconds:0}s" : ex.Message);
            }
        }
    }

    public bool IsAvailable(IAgentRuntime driver) => !_unavailable.ContainsKey(driver.Name);

    public void MarkAvailable(IAgentRuntime driver) => _unavailable.TryRemove(driver.Name, out _);

    public void MarkUnavailable(IAgentRuntime driver, string reason) => _unavailable[driver.Name] = reason;
}
