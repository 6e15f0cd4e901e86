using System.Text.Json.Nodes;
using Berth.Cli.Tests.Durability;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Runtime.Docker.Engine;
using Berth.Testing;
using Berth.Testing.Docker;
using Xunit.Abstractions;

namespace Berth.Cli.Tests.Workflows.EndToEnd;

/// <summary>
/// A workflow run across a SIGKILL of the real <c>berth server</c> process: the restarted server on the same data directory resumes
/// the run, keeps what finished before the crash, and finishes the step that was in flight (re-attached or run again).
/// </summary>
[RequiresDocker]
public sealed class ResumeAfterCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string InFlight = "s3";
    private const string KillWhenRunning = "running";
    private const string KillWhenLogging = "logging";

    private static readonly TimeSpan Whole = TimeSpan.FromMinutes(4);
    private static readonly string[] StepIds = ["s1", "s2", "s3", "s4", "s5"];

    private readonly string _name = $"c{Guid.NewGuid():N}"[..12];
    private readonly CrashScratch _scratch = new("berth-resume");
    private DockerEngineClient _docker = null!;
    private string? _runId;

    public async Task InitializeAsync()
    {
        _docker = await DockerTestEnvironment.RequireAsync();
        await TestImages.EnsureBusyboxAsync(_docker, TestTimeouts.Token());
    }

    public async Task DisposeAsync()
    {
        var failures = new List<Exception>();
        _scratch.StopServers();

        // A killed server leaves its step containers running; remove whatever the run or this server's id labelled.
        var containers = new StepContainers(_docker);
        if (_runId is not null)
        {
            await CrashScratch.TryAsync(failures, () => containers.RemoveAsync(StepContainers.RunLabel(_runId), TestTimeouts.Token()));
        }

        if (_scratch.HasServerId)
        {
            await CrashScratch.TryAsync(failures, () => containers.RemoveAsync(StepContainers.OwnerLabel(_scratch.ServerId), TestTimeouts.Token()));
        }

        _docker.Dispose();
        await CrashScratch.TryAsync(failures, () =>
        {
            _scratch.Delete();
            return Task.CompletedTask;
        });
        if (failures.Count > 0)
        {
            throw new AggregateException("cleaning up after the workflow crash test failed", failures);
        }
    }

    /// <summary>
    /// <paramref name="killWhen"/> <c>running</c>: as soon as the API shows s3 running, which can land before its container id is
    /// stored (then the attempt runs again); <c>logging</c>: once s3's first output line is stored, so its container id is too (re-attach).
    /// </summary>
    [Theory]
    [InlineData(KillWhenRunning)]
    [InlineData(KillWhenLogging)]
    public async Task Sigkill_MidStep_RestartedServerResumesTheRunWithoutRerunningFinishedSteps(string killWhen)
    {
        using var deadline = new CancellationTokenSource(Whole);
        var ct = deadline.Token;
        var containers = new StepContainers(_docker);
        var first = await _scratch.StartServerAsync(ct);
        await using var creations = containers.FollowCreations(_scratch.ServerId);
        using (var client = _scratch.Client(first))
        {
            await client.ApplyWorkflowAsync(Chain(), ct);
            _runId = (await client.StartRunAsync(_name, new JsonObject { ["tag"] = _name }, ct)).Id;
            var before = await WaitAsync(client, first, (r, token) => IsMidStepAsync(client, r, killWhen, token), $"s1 and s2 succeeded and s3 {killWhen}", ct);
            output.WriteLine($"killing the server: {Describe(before)}");
        }

        await first.KillAsync(ct);
        var atKill = await containers.ListAsync(StepContainers.RunLabel(_runId), ct);
        output.WriteLine($"step containers at the kill: {StepContainers.Describe(atKill)}");

        var second = await _scratch.StartServerAsync(ct);
        RunView run;
        using (var client = _scratch.Client(second))
        {
            run = await WaitAsync(client, second, (r, _) => Task.FromResult(IsFinished(r.State)), "the run finished", ct);
        }

        var created = creations.PerStep(_runId);
        var left = await containers.ListAsync(StepContainers.RunLabel(_runId), ct);
        var s3 = run.Steps!.Single(s => s.Id == InFlight);
        output.WriteLine($"finished: {Describe(run)}; containers created per step: {string.Join(", ", created.Select(c => $"{c.Key}={c.Value}"))}; " +
            $"{InFlight} was {(created.GetValueOrDefault(InFlight) == 1 ? "re-attached" : "run again")} (attempt {s3.Attempt})");
        run.State.ShouldBe(RunState.Succeeded, $"{Describe(run)}\nserver output:\n{second.Output}");
        run.Steps!.Select(s => (s.Id, s.State)).ShouldBe(StepIds.Select(id => (id, StepState.Succeeded)));
        run.Steps!.Select(s => s.Outputs?.Stdout).ShouldBe(StepIds.Select((_, i) => Expected(i)), "each step's output is the one before it plus its own name");
        created.Keys.Order(StringComparer.Ordinal).ToList().ShouldBe([.. StepIds], customMessage: "every step ran in a container labelled with its step id");
        created["s1"].ShouldBe(1, "s1 finished before the crash: it must not run again");
        created["s2"].ShouldBe(1, "s2 finished before the crash: it must not run again");
        created[InFlight].ShouldBeInRange(1, 2, "the step in flight is re-attached (1) or run once more (2), never more");
        if (killWhen == KillWhenLogging)
        {
            created[InFlight].ShouldBe(1, "s3's container id was stored before the crash: the new server must re-attach to it, not start another");
        }

        created["s4"].ShouldBe(1);
        created["s5"].ShouldBe(1);
        left.ShouldBeEmpty($"no step container of the run may be left behind, found: {StepContainers.Describe(left)}");
    }

    /// <summary>s1..s5 in a chain; each prints the output of the one before it plus its own id, and s3 runs long enough to be killed mid-step.</summary>
    private WorkflowSpec Chain() => new()
    {
        Name = _name,
        Inputs = new Dictionary<string, WorkflowInputSpec> { ["tag"] = new() { Type = InputType.Text, Required = true } },
        Steps = StepIds.Select((id, i) => new StepSpec
        {
            Id = id,
            
            DependsOn = i == 0 ? [] : [StepIds[i - 1]],
            Container = new ContainerStepSpec
            {
                Image = TestImages.Busybox,
                Command = ["/bin/busybox", "sh", "-c"],
                Args = [id == InFlight ? $"echo {id} working >&2; sleep 5; echo \"$PREVIOUS:{id}\"" : $"sleep 1; echo \"$PREVIOUS:{id}\""],
                Env = new Dictionary<string, string> { ["PREVIOUS"] = i == 0 ? "${{ inputs.tag }}" : $"${{{{ steps.{StepIds[i - 1]}.stdout }}}}" },
            },
        }).ToList(),
    };

    private string Expected(int index) => string.Join(':', [_name, .. StepIds.Take(index + 1)]);

    private async Task<bool> IsMidStepAsync(BerthClient client, RunView run, string killWhen, CancellationToken ct)
    {
        var states = run.Steps!.ToDictionary(s => s.Id, s => s.State);
        if (states["s3"] is StepState.Succeeded or StepState.Failed || IsFinished(run.State))
        {
            throw new InvalidOperationException($"s3 finished before the server could be killed mid-step: {Describe(run)}");
        }

        if (states["s1"] != StepState.Succeeded || states["s2"] != StepState.Succeeded || states["s3"] != StepState.Running)
        {
            return false;
        }

        if (killWhen == KillWhenRunning)
        {
            return true;
        }

        // Output is followed only after the container id is stored, so a stored log line of s3 proves the id is stored too.
        await foreach (var runEvent in client.StreamRunEventsAsync(_runId!, follow: false, cancellationToken: ct))
        {
            if (runEvent is { Type: "step.log", StepId: InFlight })
            {
                return true;
            }
        }

        return false;
    }

    private async Task<RunView> WaitAsync(BerthClient client, BerthServerProcess server, Func<RunView, CancellationToken, Task<bool>> done, string what, CancellationToken ct)
    {
        var (run, _) = await Eventually.MatchAsync(
            async token =>
            {
                var view = await client.GetRunAsync(_runId!, token);
                return (Run: view, Done: await done(view, token));
            },
            seen => seen.Done,
            last => $"waited in vain for {what}: {(last.Run is null ? "never read the run" : Describe(last.Run))}\nserver output:\n{server.Output}",
            cancellationToken: ct);
        return run;
    }

    private static bool IsFinished(RunState state) => state is RunState.Succeeded or RunState.Failed or RunState.Cancelled;

    private static string Describe(RunView run) =>
        $"run {run.Id} {run.State} ({run.Error}); steps {string.Join(", ", (run.Steps ?? []).Select(s => $"{s.Id}:{s.State}#{s.Attempt}"))}";
}
