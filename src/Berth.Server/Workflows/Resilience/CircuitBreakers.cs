using System.Collections.Concurrent;
using Berth.Core.Workflows;
using Berth.Server.Hosting;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Berth.Server.Workflows.Resilience;

/// <summary>
/// One circuit breaker per step target (<c>agent:NAME</c>, <c>image:REF</c>), shared by every run: after
/// <c>Berth:Workflows:CircuitBreaker:Failures</c> transient or timed-out attempts in a row within the window, attempts against
/// that target fail at once with <see cref="ErrorClass.CircuitOpen"/> until the break ends.
/// </summary>
internal sealed class CircuitBreakers(IOptions<BerthOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Breaker> _breakers = new(StringComparer.Ordinal);

    /// <summary>The breaker's pipeline for <paramref name="target"/>.</summary>
    public ResiliencePipeline For(string target) => _breakers.GetOrAdd(target, Create).Pipeline;

    /// <summary>The state of <paramref name="target"/>'s breaker, or null when nothing has gone through it yet (a closed breaker, in effect).</summary>
    public CircuitState? StateOf(string target) => _breakers.TryGetValue(target, out var breaker) ? breaker.State.CircuitState : null;

    /// <summary>Every target seen so far with its breaker's state, ordered by target.</summary>
    public IReadOnlyList<(string Target, CircuitState State)> States() =>
        _breakers.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => (b.Key, b.Value.State.CircuitState)).ToList();

    private Breaker Create(string target)
    {
        var settings = options.Value.Workflows.CircuitBreaker;
        var state = new CircuitBreakerStateProvider();
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 1.0,
                MinimumThroughput = settings.Failures,
                SamplingDuration = settings.Window,
                BreakDuration = settings.BreakDuration,
                StateProvider = state,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => StepErrors.Classify(ex) is ErrorClass.Transient or ErrorClass.Timeout),
            })
            .Build();
        return new Breaker(pipeline, state);
    }

    private sealed record Breaker(ResiliencePipeline Pipeline, CircuitBreakerStateProvider State);
}
