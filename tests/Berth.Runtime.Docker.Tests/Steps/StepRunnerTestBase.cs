using Berth.Core.Workflows.Execution;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Steps;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Runtime.Docker.Tests.Steps;

/// <summary>A runner on the real engine with an owner unique to each test; removes that owner's step containers afterwards, even on failure.</summary>
public abstract class StepRunnerTestBase(DockerFixture docker) : IClassFixture<DockerFixture>, IAsyncLifetime
{
    protected string Owner { get; } = $"o{Guid.NewGuid():N}"[..12];

    protected string RunId { get; } = $"r{Guid.NewGuid():N}"[..12];

    protected DockerEngineClient Client => docker.Client;

    protected DockerContainerStepRunner Runner { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Runner = new DockerContainerStepRunner(docker.Client);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Slow);
        foreach (var id in await Runner.ListAsync(Owner, null, null, cts.Token))
        {
            await Client.RemoveContainerAsync(id, force: true, removeVolumes: true, cts.Token);
        }
    }

    /// <summary>A busybox step running <paramref name="script"/> under sh.</summary>
    protected ContainerStepLaunch Launch(string script, string stepId = "step", IReadOnlyDictionary<string, byte[]>? files = null) => new()
    {
        Image = TestImages.Busybox,
        Command = ["/bin/sh", "-c"],
        Args = [script],
        Files = files ?? new Dictionary<string, byte[]>(),
        Owner = Owner,
        RunId = RunId,
        StepId = stepId,
        Attempt = 1,
    };

    /// <summary>Starts <paramref name="launch"/> declaring <paramref name="outputs"/>, as the server does, and waits for its result.</summary>
    protected async Task<ContainerStepResult> RunAsync(ContainerStepLaunch launch, IReadOnlyList<string> outputs, List<string>? lines = null)
    {
        var token = TestTimeouts.Token();
        var id = await Runner.StartAsync(launch with { Outputs = outputs }, token);
        return await Runner.WaitAsync(
            id,
            outputs,
            lines is null ? null : (line, _) =>
            {
                lock (lines)
                {
                    lines.Add(line);
                }

                return Task.CompletedTask;
            },
            token);
    }
}
