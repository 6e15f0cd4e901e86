namespace Berth.Cli.Commands.Bench;

/// <summary>What one <c>berth bench</c> run measured against one agent (<c>-o json</c> prints it as is).</summary>
internal sealed record BenchReport
{
    public required string Agent { get; init; }

    public required string Method { get; init; }

    public required string Path { get; init; }

    /// <summary>Requests in flight at once: <c>--concurrency</c>, or fewer when fewer requests were asked for.</summary>
    public required int Concurrency { get; init; }

    /// <summary>The <c>--requests</c> asked for; null for a <c>--duration</c> run.</summary>
    public int? RequestsAsked { get; init; }

    /// <summary>The <c>--duration</c> asked for, in seconds; null for a <c>--requests</c> run.</summary>
    public double? DurationAskedSeconds { get; init; }

    /// <summary>Requests sent and finished (answered or failed), cold-start request excluded.</summary>
    public required int Requests { get; init; }

    /// <summary>Requests answered with a 2xx or 3xx status.</summary>
    public required int Succeeded { get; init; }

    /// <summary>Requests answered with another status or with no answer.</summary>
    public required int Failed { get; init; }

    /// <summary><see cref="Succeeded"/> over <see cref="Requests"/>, 0 to 1.</summary>
    public required double SuccessRate { get; init; }

    /// <summary>From the first request sent to the last answer, in seconds.</summary>
    public required double ElapsedSeconds { get; init; }

    /// <summary>Requests finished per second.</summary>
    public required double Throughput { get; init; }

    /// <summary>Latency of the answered requests (to the last byte of the body); null when none was answered.</summary>
    public LatencySummary? LatencyMs { get; init; }

    /// <summary>How many answers had each status, by status code.</summary>
    public required IReadOnlyDictionary<string, int> StatusCodes { get; init; }

    /// <summary>Requests that got no answer, by what went wrong (at most 20 kinds).</summary>
    public required IReadOnlyDictionary<string, int> Errors { get; init; }

    /// <summary>The first request after a restart against the warm run; null without <c>--cold-start</c>.</summary>
    public ColdStartResult? ColdStart { get; init; }

    /// <summary>Tokens per request from OpenAI-style <c>usage</c> objects; null when no answer carried one.</summary>
    public TokenUsage? Tokens { get; init; }

    /// <summary>The agent's CPU and memory during the run; null when they could not be sampled.</summary>
    public ResourceUsage? Resources { get; init; }

    /// <summary>
    /// What the agent's own LLM calls through Berth's gateway used from the bench's start to its report; null when it made none
    /// (or the token may not read usage).
    /// </summary>
    public GatewayUsage? Gateway { get; init; }
}
