using Berth.Core.Workflows.Runs;
using Berth.Server.Workflows.Caching;

namespace Berth.Server.Workflows.Engine;

/// <summary>A step unit with its expressions and secrets resolved: what its circuit breaker guards, its cache key, and how to run one attempt.</summary>
/// <param name="Target">The circuit breaker's target (<c>agent:NAME</c>, <c>image:REF</c>), or null for none.</param>
/// <param name="CacheKey">The cache key, or null when the step cannot be cached.</param>
/// <param name="RunAttemptAsync">Runs one attempt and returns the outputs; throws a classified failure.</param>
/// <param name="CachedByDefault">
/// Whether the key is used when the step says nothing about <c>cache.enabled</c>: true for a container step and a deterministic
/// plugin's step, false (only with <c>cache.enabled: true</c>) for the rest.
/// </param>
internal sealed record PreparedStep(
    string? Target,
    StepCacheKey? CacheKey,
    Func<StepAttempt, CancellationToken, Task<StepOutputs>> RunAttemptAsync,
    bool CachedByDefault = false);
