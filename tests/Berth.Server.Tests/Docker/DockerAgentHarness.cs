using System.Net;
using System.Text.Json;
using Berth.Core.Specs;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Server.Tests.Docker;

/// <summary>
/// One test's world on the real engine: a uniquely named agent, the Berth servers it runs on, and a
/// client to look at what the engine really holds. Disposal removes the servers' agents, then anything
/// still labelled <c>berth.agent={name}</c> (containers, networks, built images) as a safety net.
/// </summary>
internal sealed class DockerAgentHarness : IAsyncDisposable
{
    // the echo agent's httpd is PID 1 and ignores SIGTERM, so every stop would wait the whole grace
    private static readonly string[] FastStops = ["--Berth:Reconciler:StopGrace=00:00:01"];

    private readonly List<TestServer> _servers = [];
    private readonly List<string> _directories = [];

    private DockerAgentHarness(DockerEngineClient docker) => Docker = docker;

    public DockerEngineClient Docker { get; }

    public string Name { get; } = $"d{Guid.NewGuid():N}"[..12];

    public string AgentLabel => LabelledEngineObjects.OfAgent(Name);

    public static async Task<DockerAgentHarness> CreateAsync()
    {
        var docker = await DockerTestEnvironment.RequireAsync();
        await TestImages.EnsureEchoAgentAsync(docker, TestTimeouts.Token());
        return new DockerAgentHarness(docker);
    }

    /// <summary>Starts a Berth server with the docker runtime and its own data directory.</summary>
    public async Task<TestServer> StartServerAsync(params string[] extraArgs)
    {
        var server = await TestServer.StartAsync(runtime: "docker", extraArgs: [.. FastStops, .. extraArgs]);
        _servers.Add(server);
        return server;
    }

    /// <summary>
    /// Starts a Berth server with the swarm runtime, the engine made a single-node swarm first; its relays run the test busybox
    /// image, as no registry can be pulled from here.
    /// </summary>
    public async Task<TestServer> StartSwarmServerAsync()
    {
        await SwarmTestEnvironment.EnsureManagerAsync(Docker, TestTimeouts.Token());
        await TestImages.EnsureBusyboxAsync(Docker, TestTimeouts.Token());
        var server = await TestServer.StartAsync(runtime: "swarm", extraArgs: [.. FastStops, $"--Berth:Swarm:RelayImage={TestImages.Busybox}"]);
        _servers.Add(server);
        return server;
    }

    /// <summary>Restarts <paramref name="server"/> on its data directory (agents keep running).</summary>
    public static Task RestartAsync(TestServer server, string runtime = "docker") => server.RestartAsync(runtime);

    public AgentSpec EchoSpec(int replicas = 1, string? image = TestImages.EchoAgent, BuildSpec? build = null) => new()
    {
        Name = Name,
        Image = build is null ? image : null,
        Build = build,
        Port = TestImages.EchoAgentPort,
        Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1) },
        Restart = new RestartSpec { MaxBackoff = TimeSpan.FromSeconds(2) },
        Replicas = replicas,
    };

    /// <summary>A fresh temporary directory, deleted on disposal.</summary>
    public string NewDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), $"berth-ctx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        _directories.Add(path);
        return path;
    }

    /// <summary>Every container (running or not) the engine holds for this agent, whoever owns it.</summary>
    public Task<IReadOnlyList<ContainerSummary>> ContainersAsync() =>
        Docker.ListContainersAsync(new ContainerListQuery { All = true, Labels = [AgentLabel] }, TestTimeouts.Token());

    public Task<IReadOnlyList<NetworkInspect>> NetworksAsync() =>
        Docker.ListNetworksAsync([AgentLabel], TestTimeouts.Token());

    public Task<ContainerInspect> InspectAsync(string instanceId) =>
        Docker.InspectContainerAsync($"berth-{instanceId}", TestTimeouts.Token());

    /// <summary>POSTs <paramref name="body"/> to the echo CGI through the proxy; returns the status and the parsed answer (null unless 200).</summary>
    public async Task<(HttpStatusCode Status, JsonElement? Echo)> EchoAsync(TestServer server, string body)
    {
        using var response = await server.Http.PostAsync($"/agents/{Name}/cgi-bin/echo", new StringContent(body), TestTimeouts.Token());
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, null);
        }

        var text = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The owner id a server labels its engine objects with.</summary>
    public static string OwnerOf(TestServer server) => File.ReadAllText(Path.Combine(server.DataDir, "server-id")).Trim();

    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        foreach (var server in _servers)
        {
            try
            {
                await server.DisposeAsync();
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
        }

        using var cts = new CancellationTokenSource(TestTimeouts.Slow);
        await Docker.RemoveLabelledAsync(AgentLabel, cts.Token);

        foreach (var image in await Docker.ListImagesAsync([AgentLabel], null, cts.Token))
        {
            await Docker.RemoveImageAsync(image.Id, force: true, cts.Token);
        }

        foreach (var directory in _directories)
        {
            Directory.Delete(directory, recursive: true);
        }

        Docker.Dispose();
        if (failures.Count > 0)
        {
            throw new AggregateException("stopping the test servers failed", failures);
        }
    }
}
