using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Berth.Core.Llm;
using Berth.Server.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Llm;

/// <summary>
/// An endpoint's <c>limits</c>: calls and (estimated) tokens per minute over a sliding minute in six steps, on this server. Each
/// endpoint's limiters are made again when its limits change. Several servers each allow the limit (a provider's own limits
/// are per key, and its 429s fail over like any other).
/// </summary>
internal sealed class EndpointLimiters : IDisposable
{
    private const int Steps = 6;

    private static readonly TimeSpan Step = TimeSpan.FromMinutes(1) / Steps;

    private readonly ConcurrentDictionary<string, Limiters> _limiters = new(StringComparer.Ordinal);

    /// <summary>Null when the call may go; otherwise the 429 to answer (with <c>Retry-After</c>).</summary>
    public ProblemHttpResult? Admit(HttpContext context, ModelEndpointSpec endpoint, long estimatedTokens)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Limits is not { } limits || (limits.RequestsPerMinute is null && limits.TokensPerMinute is null))
        {
            return null;
        }

        try
        {
            return Acquire(context, endpoint, limits, estimatedTokens);
        }
        catch (ObjectDisposedException)
        {
            // The limits changed while this call held the old limiters; the new ones decide.
            return Acquire(context, endpoint, limits, estimatedTokens);
        }
    }

    private ProblemHttpResult? Acquire(HttpContext context, ModelEndpointSpec endpoint, ModelLimits limits, long estimatedTokens)
    {
        var current = Current(endpoint.Name, limits);
        if (current.Requests?.AttemptAcquire() is { IsAcquired: false } calls)
        {
            return Refuse(context, calls, $"Model endpoint '{endpoint.Name}' allows {limits.RequestsPerMinute} calls a minute on this server; try again later.");
        }

        // A call larger than the whole minute's allowance could never go: it is refused at once, saying so.
        var tokens = (int)Math.Min(estimatedTokens, int.MaxValue);
        if (limits.TokensPerMinute is { } perMinute && tokens > perMinute)
        {
            return Problems.Problems.Problem(StatusCodes.Status429TooManyRequests, "Rate limited", RateLimitRejection.ProblemType,
                $"This call may use up to {tokens} tokens (its prompt and max_tokens), more than model endpoint '{endpoint.Name}' allows in a minute ({perMinute}); lower max_tokens or split the prompt.");
        }

        if (current.Tokens?.AttemptAcquire(tokens) is { IsAcquired: false } lease)
        {
            return Refuse(context, lease, $"Model endpoint '{endpoint.Name}' allows {limits.TokensPerMinute} tokens a minute on this server, and this call may use up to {tokens}; try again later.");
        }

        return null;
    }

    public void Dispose()
    {
        foreach (var limiters in _limiters.Values)
        {
            limiters.Dispose();
        }
    }

    // The first call after a change of limits swaps in new limiters; a call racing it on the old ones may still count there.
    private Limiters Current(string endpoint, ModelLimits limits)
    {
        while (true)
        {
            if (_limiters.TryGetValue(endpoint, out var current) && current.Spec == limits)
            {
                return current;
            }

            var fresh = new Limiters(limits);
            if (current is null ? _limiters.TryAdd(endpoint, fresh) : _limiters.TryUpdate(endpoint, fresh, current))
            {
                current?.Dispose();
                return fresh;
            }

            fresh.Dispose();
        }
    }

    private static ProblemHttpResult Refuse(HttpContext context, RateLimitLease lease, string detail)
    {
        using (lease)
        {
            // A sliding window frees permits a step (10s) at a time; it gives no retry time of its own.
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Step;
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds))).ToString(CultureInfo.InvariantCulture);
        }

        return Problems.Problems.Problem(StatusCodes.Status429TooManyRequests, "Rate limited", RateLimitRejection.ProblemType, detail);
    }

    private sealed class Limiters(ModelLimits spec) : IDisposable
    {
        public ModelLimits Spec { get; } = spec;

        public RateLimiter? Requests { get; } = spec.RequestsPerMinute is { } calls ? Window(calls) : null;

        public RateLimiter? Tokens { get; } = spec.TokensPerMinute is { } tokens ? Window((int)Math.Min(tokens, int.MaxValue)) : null;

        public void Dispose()
        {
            Requests?.Dispose();
            Tokens?.Dispose();
        }

        private static SlidingWindowRateLimiter Window(int permits) => new(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = Steps, QueueLimit = 0, AutoReplenishment = true,
        });
    }
}
