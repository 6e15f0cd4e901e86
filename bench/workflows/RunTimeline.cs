using Berth.Client.Contracts;

namespace Berth.Bench.Workflows;

/// <summary>
/// Where a chain run's time went, from the server's own timestamps: before the first step started (claim, plan, first step's
/// preparation), inside steps (a step's startedAt to its finishedAt), between steps (one step's finishedAt to the next one's
/// startedAt: storing the result, scheduling, evaluating expressions, resolving the image, the cache lookup), and after the last.
/// For a chain the four add up to the server's time (createdAt to finishedAt); the client's wall time adds the HTTP requests.
/// </summary>
internal sealed record RunTimeline(TimeSpan BeforeFirst, TimeSpan InSteps, TimeSpan BetweenSteps, TimeSpan AfterLast, TimeSpan Server, int Steps)
{
    public double InStepMs => InSteps.TotalMilliseconds / Steps;

    public double BetweenStepMs => Steps > 1 ? BetweenSteps.TotalMilliseconds / (Steps - 1) : 0;

    public static RunTimeline Of(RunView run)
    {
        var steps = (run.Steps ?? []).OrderBy(s => s.StartedAt).ToList();
        if (steps.Count == 0 || run.FinishedAt is not { } finished || steps.Any(s => s.StartedAt is null || s.FinishedAt is null))
        {
            throw new BenchException($"run {run.Id} has steps without startedAt/finishedAt; it cannot be broken down");
        }

        var between = TimeSpan.Zero;
        for (var i = 1; i < steps.Count; i++)
        {
            var gap = steps[i].StartedAt!.Value - steps[i - 1].FinishedAt!.Value;
            between += gap > TimeSpan.Zero ? gap : TimeSpan.Zero;
        }

        return new RunTimeline(
            steps[0].StartedAt!.Value - run.CreatedAt,
            TimeSpan.FromTicks(steps.Sum(s => (s.FinishedAt!.Value - s.StartedAt!.Value).Ticks)),
            between,
            finished - steps.Max(s => s.FinishedAt!.Value),
            finished - run.CreatedAt,
            steps.Count);
    }

    public IEnumerable<string> Describe(TimeSpan clientWall)
    {
        yield return $"server, createdAt -> finishedAt        {Figures.Ms(Server)}";
        yield return $"  before the first step started       {Figures.Ms(BeforeFirst)}";
        yield return $"  inside steps (startedAt->finishedAt){Figures.Ms(InSteps)}  ({Figures.Ms(InStepMs)} per step)";
        yield return $"  between steps (finishedAt->startedAt){Figures.Ms(BetweenSteps)}  ({Figures.Ms(BetweenStepMs)} per gap, {Steps - 1} gaps)";
        yield return $"  after the last step finished       {Figures.Ms(AfterLast)}";
        yield return $"client wall minus server time         {Figures.Ms(clientWall - Server)}  (POST /runs, event stream until run.succeeded)";
    }
}
