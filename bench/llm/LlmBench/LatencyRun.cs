using Berth.Core.Specs;

namespace Berth.Bench.Llm;

/// <summary>
/// The added latency: the same chat completion and the same stream, one call at a time, to the provider directly and through
/// Berth, in rounds of all four (which way goes first alternates), so a change in the machine's load falls on both ways alike.
/// A warm-up of the same rounds comes first (a fresh server is slower until tiered JIT has recompiled its hot paths).
/// </summary>
internal sealed class LatencyRun(BenchOptions options, ChatTarget direct, ChatTarget berth, TimeProvider time, TextWriter notes)
{
    public async Task<LatencySamples> RunAsync(CancellationToken abort)
    {
        await notes.WriteLineAsync($"    latency: warm-up {Duration.Format(options.Warmup)}, then {options.Calls} rounds, one call at a time " +
            "(a chat completion and a stream, direct and through Berth)");
        var warmupEnd = time.GetTimestamp() + (long)(options.Warmup.TotalSeconds * time.TimestampFrequency);
        var round = 0;
        while (time.GetTimestamp() < warmupEnd)
        {
            await RoundAsync(round++, into: null, abort);
        }

        var samples = new LatencySamples(options.Calls);
        for (var i = 0; i < options.Calls; i++)
        {
            await RoundAsync(i, samples, abort);
        }

        return samples;
    }

    private async Task RoundAsync(int round, LatencySamples? into, CancellationToken abort)
    {
        var (first, second) = round % 2 == 0 ? (direct, berth) : (berth, direct);
        var completeFirst = await first.CompleteAsync(abort);
        var completeSecond = await second.CompleteAsync(abort);
        var streamFirst = await first.StreamAsync(abort);
        var streamSecond = await second.StreamAsync(abort);
        if (into is null)
        {
            return;
        }

        var (completeDirect, completeBerth) = first == direct ? (completeFirst, completeSecond) : (completeSecond, completeFirst);
        var (streamDirect, streamBerth) = first == direct ? (streamFirst, streamSecond) : (streamSecond, streamFirst);
        into.CompleteDirect.Add(completeDirect);
        into.CompleteBerth.Add(completeBerth);
        into.FirstTokenDirect.Add(streamDirect.FirstToken);
        into.FirstTokenBerth.Add(streamBerth.FirstToken);
        into.StreamDirect.Add(streamDirect.Whole);
        into.StreamBerth.Add(streamBerth.Whole);
    }
}
