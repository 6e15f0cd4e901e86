using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Runtime.Docker.Tests;

/// <summary>A client for the real engine with the test images present; removes what a test class labelled.</summary>
public sealed class DockerFixture : IAsyncLifetime
{
    public const string TestLabel = "berth.test";

    public DockerEngineClient Client { get; private set; } = null!;

    /// <summary>Unique per fixture; every object a test creates carries <c>berth.test={RunLabel}</c>.</summary>
    public string RunLabel { get; } = $"t{Guid.NewGuid():N}"[..12];

    public async Task InitializeAsync()
    {
        Client = await DockerTestEnvironment.RequireAsync();
        await TestImages.EnsureEchoAgentAsync(Client, TestTimeouts.Token());
    }

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Slow);
        await RemoveLabelledAsync($"{TestLabel}={RunLabel}", cts.Token);
        Client.Dispose();
    }

    /// <summary>Removes every container (running or not) and network carrying <paramref name="label"/> (<c>key=value</c>).</summary>
    public Task RemoveLabelledAsync(string label, CancellationToken cancellationToken) => Client.RemoveLabelledAsync(label, cancellationToken);

    public Dictionary<string, string> Labels() => new() { [TestLabel] = RunLabel };

    /// <summary>Creates and starts a busybox container running <paramref name="script"/> under sh.</summary>
    public async Task<string> RunBusyboxAsync(string script, CancellationToken cancellationToken)
    {
        var created = await Client.CreateContainerAsync(
            null,
            new ContainerCreateRequest
            {
                Image = TestImages.Busybox,
                Cmd = ["/bin/sh", "-c", script],
                Labels = Labels(),
                HostConfig = new HostConfig { RestartPolicy = new RestartPolicy() },
            },
            cancellationToken);
        await Client.StartContainerAsync(created.Id, cancellationToken);
        return created.Id;
    }
}
