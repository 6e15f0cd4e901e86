namespace Berth.Cli.Commands.Bench;

/// <summary>What one worker saw; each worker has its own, merged when the run ends, so recording takes no lock.</summary>
internal sealed class BenchRecorder
{
    private const int MaxErrorKinds = 20;

    public List<double> Latencies { get; } = [];

    public Dictionary<int, int> Statuses { get; } = [];

    public Dictionary<string, int> Errors { get; } = new(StringComparer.Ordinal);

    public int Succeeded { get; private set; }

    public int Failed { get; private set; }

    public int UsageResponses { get; private set; }

    public long PromptTokens { get; private set; }

    public long CompletionTokens { get; private set; }

    public long TotalTokens { get; private set; }

    public void Record(RequestOutcome outcome)
    {
        if (outcome.Status is { } status)
        {
            Latencies.Add(outcome.LatencyMs);
            Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
        }
        else
        {
            AddError(outcome.Error ?? "no answer", 1);
        }

        if (outcome.Succeeded)
        {
            Succeeded++;
        }
        else
        {
            Failed++;
        }

        if (outcome.Usage is { } usage)
        {
            UsageResponses++;
            PromptTokens += usage.Prompt;
            CompletionTokens += usage.Completion;
            TotalTokens += usage.Total;
        }
    }

    public void Add(BenchRecorder other)
    {
        Latencies.AddRange(other.Latencies);
        foreach (var (status, count) in other.Statuses)
        {
            Statuses[status] = Statuses.GetValueOrDefault(status) + count;
        }

        foreach (var (error, count) in other.Errors)
        {
            AddError(error, count);
        }

        Succeeded += other.Succeeded;
        Failed += other.Failed;
        UsageResponses += other.UsageResponses;
        PromptTokens += other.PromptTokens;
        CompletionTokens += other.CompletionTokens;
        TotalTokens += other.TotalTokens;
    }

    // Bounded, so a run of a million distinct failures cannot grow the report without end.
    private void AddError(string error, int count)
    {
        var key = Errors.ContainsKey(error) || Errors.Count < MaxErrorKinds - 1 ? error : "other errors";
        Errors[key] = Errors.GetValueOrDefault(key) + count;
    }
}
