using Berth.Client.Contracts;
using Berth.Core.Workflows.Runs;

namespace Berth.Bench.Workflows;

/// <summary>One run as the client saw it.</summary>
internal sealed record TimedRun(RunView Run, TimeSpan Elapsed, int Events, DateTimeOffset StartedAt, DateTimeOffset EndedAt)
{
    public IReadOnlyList<StepView> Steps => Run.Steps ?? [];

    /// <summary>Fails unless every step ended in <paramref name="state"/>.</summary>
    public TimedRun Expect(StepState state)
    {
        var wrong = Steps.Where(s => s.State != state).ToList();
        return wrong.Count == 0
            ? this
            : throw new BenchException($"run {Run.Id}: {wrong.Count} steps are not {state}, e.g. {wrong[0].Id} is {wrong[0].State}");
    }

    public string Stdout(string stepId) => Steps.Single(s => s.Id == stepId).Outputs?.Stdout ?? "";
}
