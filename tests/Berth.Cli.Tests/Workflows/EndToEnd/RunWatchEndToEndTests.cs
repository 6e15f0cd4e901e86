using Berth.Cli.Tests.Infrastructure;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Cli.Tests.Workflows.EndToEnd;

/// <summary><c>berth apply -f</c> and <c>berth run --watch</c> against a real server running container steps on the real Docker engine.</summary>
[RequiresDocker]
public sealed class RunWatchEndToEndTests(DockerServerFixture server) : IClassFixture<DockerServerFixture>, IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly string _name = $"w{Guid.NewGuid():N}"[..12];
    private readonly List<string> _runIds = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        try
        {
            foreach (var runId in _runIds)
            {
                await server.Containers.RemoveAsync(StepContainers.RunLabel(runId), TestTimeouts.Token());
            }
        }
        finally
        {
            _directory.Dispose();
        }
    }

    private CliHarness Harness()
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path };
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        return harness;
    }

    [Fact]
    public async Task RunWatch_TwoContainerSteps_ExitsZeroAndShowsBothSucceededWithTheirOutput()
    {
        _directory.Write("wf.yaml", $$$"""
            apiVersion: berth/v1
            kind: Workflow
            metadata: { name: {{{_name}}} }
            spec:
              inputs:
                who: { type: string, required: true }
              steps:
                - id: greet
                  container:
                    image: {{{TestImages.Busybox}}}
                    command: ["/bin/busybox", "sh", "-c"]
                    args: ["echo hello $WHO from {{{_name}}}"]
                    env: { WHO: "${{ inputs.who }}" }
                - id: shout
                  dependsOn: [greet]
                  container:
                    image: {{{TestImages.Busybox}}}
                    command: ["/bin/busybox", "sh", "-c"]
                    args: ["echo \"$GREETING\" | tr a-z A-Z"]
                    env: { GREETING: "${{ steps.greet.stdout }}" }
            """);

        var applied = await Harness().RunAsync("apply", "-f", "wf.yaml");
        var watched = await Harness().RunAsync("run", _name, "--input", "who=x", "--watch");
        _runIds.Add(watched.Out.Trim());

        applied.ExitCode.ShouldBe(ExitCodes.Ok, applied.ToString());
        applied.Out.ShouldContain($"workflow/{_name} created");
        watched.ExitCode.ShouldBe(ExitCodes.Ok, watched.ToString());
        var runId = watched.Out.Trim();
        runId.ShouldNotBeEmpty(watched.ToString());
        var lines = Lines(watched.Err);
        Index(lines, "step/greet started").ShouldBeGreaterThanOrEqualTo(0, watched.ToString());
        lines.ShouldContain($"greet | hello x from {_name}", watched.ToString());
        Index(lines, "step/greet succeeded").ShouldBeGreaterThanOrEqualTo(0, watched.ToString());
        lines.ShouldContain($"shout | HELLO X FROM {_name.ToUpperInvariant()}", watched.ToString());
        Index(lines, "step/shout succeeded").ShouldBeGreaterThanOrEqualTo(0, watched.ToString());
        Index(lines, $"run/{runId} succeeded").ShouldBeGreaterThanOrEqualTo(0, watched.ToString());
        Index(lines, "step/greet succeeded").ShouldBeLessThan(Index(lines, "step/shout started"), "shout needs greet's output, so it starts after greet succeeded");
        lines.ShouldNotContain(l => l.Contains("failed", StringComparison.Ordinal), watched.ToString());
    }

    [Fact]
    public async Task RunWatch_StepExitsThree_ExitsOneAndNamesTheUserFailureAndExitCode()
    {
        _directory.Write("fail.yaml", $$"""
            apiVersion: berth/v1
            kind: Workflow
            metadata: { name: {{_name}} }
            spec:
              steps:
                - id: breaks
                  container:
                    image: {{TestImages.Busybox}}
                    command: ["/bin/busybox", "sh", "-c"]
                    args: ["echo about to fail in {{_name}}; exit 3"]
                - id: never
                  dependsOn: [breaks]
                  container:
                    image: {{TestImages.Busybox}}
                    command: ["/bin/busybox", "sh", "-c"]
                    args: ["echo must not run"]
            """);

        var applied = await Harness().RunAsync("apply", "-f", "fail.yaml");
        var watched = await Harness().RunAsync("run", _name, "--watch");
        _runIds.Add(watched.Out.Trim());

        applied.ExitCode.ShouldBe(ExitCodes.Ok, applied.ToString());
        watched.ExitCode.ShouldBe(ExitCodes.Failure, watched.ToString());
        var runId = watched.Out.Trim();
        var lines = Lines(watched.Err);
        lines.ShouldContain($"breaks | about to fail in {_name}", watched.ToString());
        Index(lines, $"run/{runId} failed").ShouldBeGreaterThanOrEqualTo(0, watched.ToString());
        Index(lines, "step/never skipped").ShouldBeGreaterThanOrEqualTo(0, watched.ToString());
        var summary = lines.Where(l => l.StartsWith("step/breaks failed: ", StringComparison.Ordinal) && l.EndsWith("(exit 3)", StringComparison.Ordinal))
            .ShouldHaveSingleItem(watched.ToString());
        summary.ShouldStartWith("step/breaks failed: user: ");
        summary.ShouldContain("exited with code 3");
        lines.ShouldContain($"about to fail in {_name}", watched.ToString());
        lines.ShouldNotContain("never | must not run", watched.ToString());
        Index(lines, "step/never started").ShouldBe(-1, watched.ToString());
        (await server.Containers.ListAsync(StepContainers.RunLabel(runId), TestTimeouts.Token())).ShouldBeEmpty("a failed step's container is removed");
    }

    /// <summary>The first line that is <paramref name="start"/> or begins with it followed by <c>:</c> or a space; -1 when none.</summary>
    private static int Index(List<string> lines, string start) =>
        lines.FindIndex(l => l == start || l.StartsWith(start + ":", StringComparison.Ordinal) || l.StartsWith(start + " ", StringComparison.Ordinal));

    private static List<string> Lines(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
}
