using System.Net;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Server.Reconciliation;
using Berth.Server.Workflows.Resilience;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;

namespace Berth.Server.Capabilities;

/// <summary>
/// Sends a call for a capability to one of the agents that declare it. Agents with a healthy instance are tried in order of
/// fewest calls in flight (ties taken in turn), agents whose breaker is open last; a transient failure (unreachable, 5xx,
/// 408, 429) passes the call to the next agent. Each agent's breaker (<see cref="CircuitBreakers"/>, <c>agent:NAME</c>, the
/// one named agent steps use too) counts its transient failures and, once open, makes the router skip it without sending.
/// When every agent failed, the last agent's own failing answer is returned if there is one, so the caller sees what the
/// agent said; otherwise <see cref="CapabilityUnavailableException"/>. Plugins are not routed here (plugin steps are).
/// </summary>
internal sealed partial class CapabilityRouter(CapabilityRegistry registry, InstanceDirectory directory, CircuitBreakers breakers, ILogger<CapabilityRouter> logger)
{
    private int _turn;

    /// <summary>
    /// Routes one call of <paramref name="capability"/>: <paramref name="send"/> builds and sends a fresh request to the instance
    /// given (it may be called once per provider, so a body must be replayable). <paramref name="note"/> hears each failover.
    /// </summary>
    /// <exception cref="CapabilityNotFoundException">No agent declares the capability.</exception>
    /// <exception cref="CapabilityUnavailableException">None could take the call and none answered.</exception>
    public async Task<RoutedResponse> SendAsync(
        string capability, Func<AgentRoute, Uri, CancellationToken, Task<HttpResponseMessage>> send, Action<string>? note, CancellationToken cancellationToken)
    {
        var providers = await registry.FindAsync(capability, cancellationToken);
        var agents = providers.Where(p => p.Kind == CapabilityProvider.AgentKind).Select(p => p.Name).Distinct(StringComparer.Ordinal).ToList();
        return agents.Count == 0
            ? throw CapabilityNotFoundException.For(capability, providers.Count > 0)
            : await RouteAsync(capability, agents, send, note, cancellationToken);
    }

    /// <summary>Routes one call among <paramref name="agents"/> (the agents that declare <paramref name="capability"/>).</summary>
    public async Task<RoutedResponse> RouteAsync(
        string capability, IReadOnlyList<string> agents, Func<AgentRoute, Uri, CancellationToken, Task<HttpResponseMessage>> send, Action<string>? note,
        CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var open = 0;
        RoutedResponse? fallback = null;
        foreach (var route in Order(agents, failures))
        {
            var id = $"{CapabilityProvider.AgentKind}:{route.AgentName}";
            if (route.Next() is not { } endpoint)
            {
                failures.Add($"{id} has no healthy instance");
                continue;
            }

            var inFlight = route.Enter(endpoint);
            HttpResponseMessage? answer = null;
            try
            {
                await breakers.For(id).ExecuteAsync(
                    async token =>
                    {
                        try
                        {
                            answer = await send(route, endpoint, token);
                        }
                        catch (HttpRequestException ex)
                        {
                            throw new StepRunException(ErrorClass.Transient, $"{id} could not be reached at {endpoint.Authority} ({ex.HttpRequestError})", ex);
                        }

                        if (IsTransient(answer.StatusCode))
                        {
                            throw new StepRunException(ErrorClass.Transient, $"{id} answered {(int)answer.StatusCode}");
                        }
                    },
                    cancellationToken);
                fallback?.Dispose();
                return new RoutedResponse(id, route.AgentName, answer!, inFlight, failures.ToList());
            }
            catch (BrokenCircuitException)
            {
                open++;
                failures.Add($"{id} was skipped: its circuit breaker is open");
                inFlight.Dispose();
            }
            catch (StepRunException ex) when (ex.Class == ErrorClass.Transient && !cancellationToken.IsCancellationRequested)
            {
                failures.Add(ex.Message);
                fallback?.Dispose();
                fallback = answer is null ? null : new RoutedResponse(id, route.AgentName, answer, inFlight, failures.Take(failures.Count - 1).ToList());
                if (answer is null)
                {
                    inFlight.Dispose();
                }
            }
            catch
            {
                answer?.Dispose();
                inFlight.Dispose();
                fallback?.Dispose();
                throw;
            }

            LogFailover(capability, failures[^1]);
            note?.Invoke($"capability '{capability}': {failures[^1]}; passed over");
        }

        return fallback ?? throw CapabilityUnavailableException.For(capability, failures, open > 0 && open == agents.Count);
    }

    /// <summary>Whether an answer with <paramref name="status"/> is worth sending to another provider.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    // Healthy first by calls in flight, open breakers last; the starting point turns so equal loads take turns.
    private List<AgentRoute> Order(IReadOnlyList<string> agents, List<string> failures)
    {
        var routes = new List<AgentRoute>(agents.Count);
        foreach (var agent in agents)
        {
            if (directory.Find(agent) is { Healthy.Count: > 0 } route)
            {
                routes.Add(route);
            }
            else
            {
                failures.Add($"{CapabilityProvider.AgentKind}:{agent} has no healthy instance");
            }
        }

        var start = routes.Count == 0 ? 0 : (int)((uint)Interlocked.Increment(ref _turn) % (uint)routes.Count);
        return routes.Skip(start).Concat(routes.Take(start))
            .OrderBy(r => breakers.StateOf($"{CapabilityProvider.AgentKind}:{r.AgentName}") is CircuitState.Open or CircuitState.Isolated ? 1 : 0)
            .ThenBy(CapabilityRegistry.Outstanding)
            .ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Capability {Capability}: {Failure}; passed over")]
    private partial void LogFailover(string capability, string failure);
}
