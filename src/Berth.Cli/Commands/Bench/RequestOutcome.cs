namespace Berth.Cli.Commands.Bench;

/// <summary>One request's result: its latency to the last byte, and its status or why it got none.</summary>
internal readonly record struct RequestOutcome(double LatencyMs, int? Status, string? Error, (long Prompt, long Completion, long Total)? Usage)
{
    public bool Succeeded => Status is >= 200 and < 400;
}
