using System.Net.Http.Json;
using System.Text;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Requests;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Server.Tests.Requests.Support;

/// <summary>
/// One test's world for the durable proxy on real containers: a Berth server with the docker runtime, and an agent of
/// busybox httpd containers whose CGI scripts (<see cref="CgiScripts"/>) and state live in a host directory mounted at
/// <c>/w</c>. Disposal removes the server's agents, anything still labelled with the agent's name, and the directory.
/// </summary>
internal sealed class DockerCgiAgent : IAsyncDisposable
{
    // httpd is PID 1 and ignores SIGTERM, so every stop would wait the whole grace
    private const string FastStops = "--Berth:Reconciler:StopGrace=00:00:01";
    private const string ReleaseFile = "release";

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"berth-cgi-{Guid.NewGuid():N}");
    private TestServer? _server;

    private DockerCgiAgent(DockerEngineClient docker)
    {
        Docker = docker;
        WriteFiles();
    }

    public DockerEngineClient Docker { get; }

    public string Name { get; } = $"r{Guid.NewGuid():N}"[..12];

    public TestServer Server => _server ?? throw new InvalidOperationException("the server has not started");

    /// <summary>The host side of <c>/w/state</c>.</summary>
    public string StateDir => Path.Combine(_root, "state");

    /// <summary>Starts a docker-runtime server; <paramref name="serverArgs"/> are further <c>--Berth:Key=value</c> settings.</summary>
    public static async Task<DockerCgiAgent> StartAsync(params string[] serverArgs)
    {
        var docker = await DockerTestEnvironment.RequireAsync();
        var agent = new DockerCgiAgent(docker);
        try
        {
            await TestImages.EnsureBusyboxAsync(docker, TestTimeouts.Token());
            agent._server = await TestServer.StartAsync(runtime: "docker", extraArgs: [FastStops, .. serverArgs]);
            return agent;
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
    }

    /// <summary>The agent's spec; <paramref name="persistence"/> null keeps the defaults (persistence on).</summary>
    public AgentSpec Spec(PersistenceSpec? persistence = null, int replicas = 1) => new()
    {
        Name = Name,
        Image = TestImages.Busybox,
        Command = ["/bin/sh", "/w/start.sh"],
        Port = 8000,
        Volumes = [new VolumeSpec { Source = _root, Target = "/w" }],
        Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1) },
        Restart = new RestartSpec { MaxBackoff = TimeSpan.FromSeconds(2) },
        Persistence = persistence ?? new PersistenceSpec(),
        Replicas = replicas,
    };

    /// <summary>Applies the spec and waits until every replica is ready.</summary>
    public async Task<AgentView> ApplyAsync(PersistenceSpec? persistence = null, int replicas = 1)
    {
        using var response = await Server.ApplyAsync(Spec(persistence, replicas));
        response.EnsureSuccessStatusCode();
        return await Server.WaitForAsync(Name, v => v.State == AgentState.Running && v.ReadyReplicas == replicas);
    }

    /// <summary>A POST of <paramref name="body"/> to <c>/cgi-bin/{script}</c> through the proxy.</summary>
    public HttpRequestMessage Post(string script, string body, string? key = null, string? wait = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/agents/{Name}/cgi-bin/{script}") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        if (wait is not null)
        {
            request.Headers.Add("Berth-Wait", wait);
        }

        return request;
    }

    /// <summary>Sends a POST and returns the status, the body and the request id the proxy answered with.</summary>
    public async Task<ProxyAnswer> SendAsync(string script, string body, string? key = null, string? wait = null)
    {
        using var request = Post(script, body, key, wait);
        using var response = await Server.Http.SendAsync(request, TestTimeouts.Token());
        var id = response.Headers.TryGetValues("Berth-Request-Id", out var ids) ? ids.Single() : null;
        return new ProxyAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestTimeouts.Token()), id);
    }

    /// <summary>The lines of a state file, none when it does not exist yet.</summary>
    public IReadOnlyList<string> Lines(string file)
    {
        var path = Path.Combine(StateDir, file);
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    /// <summary>Waits until the state file holds at least <paramref name="count"/> lines.</summary>
    public Task<IReadOnlyList<string>> WaitForLinesAsync(string file, int count) =>
        Eventually.MatchAsync(() => Lines(file), lines => lines.Count >= count, $"{count} lines in {file}");

    /// <summary>Lets every script waiting for the release go on.</summary>
    public void Release() => File.WriteAllText(Path.Combine(StateDir, ReleaseFile), "go\n");

    /// <summary>Creates (or removes) a flag file the scripts look at.</summary>
    public void SetFlag(string file, bool set)
    {
        var path = Path.Combine(StateDir, file);
        if (set)
        {
            File.WriteAllText(path, "1\n");
        }
        else
        {
            File.Delete(path);
        }
    }

    /// <summary>SIGKILLs the instance's container, as a crash would, and waits until the engine reports it stopped.</summary>
    public async Task KillAsync(string instanceId)
    {
        var container = $"berth-{instanceId}";
        await Docker.KillContainerAsync(container, "SIGKILL", TestTimeouts.Token());
        await Docker.WaitContainerAsync(container, WaitCondition.NotRunning, TestTimeouts.Token(TestTimeouts.Quick));
    }

    public async Task<RequestDetail> GetRequestAsync(string id) =>
        (await Server.Http.GetFromJsonAsync<RequestDetail>($"/api/v1/requests/{id}", BerthJson.Options, TestTimeouts.Token()))!;

    /// <summary>Polls the request until it is in <paramref name="state"/>; fails with the last state seen.</summary>
    public Task<RequestDetail> WaitForRequestAsync(string id, RequestState state) =>
        Eventually.MatchAsync(
            async token => (await Server.Http.GetFromJsonAsync<RequestDetail>($"/api/v1/requests/{id}", BerthJson.Options, token))!,
            detail => detail.Request.State == state,
            last => $"request {id} did not become {state}; last {last?.Request.State} after {last?.Request.Attempts} attempts ({last?.Request.LastError})");

    public async Task<IReadOnlyList<RequestView>> ListRequestsAsync() =>
        (await Server.Http.GetFromJsonAsync<List<RequestView>>($"/api/v1/requests?agent={Name}", BerthJson.Options, TestTimeouts.Token()))!;

    public async ValueTask DisposeAsync()
    {
        Exception? failure = null;
        try
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        // a test that failed halfway may leave scripts waiting: let them end so the containers stop at once
        Release();
        using var cts = new CancellationTokenSource(TestTimeouts.Slow);
        await Docker.RemoveLabelledAsync(LabelledEngineObjects.OfAgent(Name), cts.Token);

        Directory.Delete(_root, recursive: true);
        Docker.Dispose();
        if (failure is not null)
        {
            throw new InvalidOperationException("stopping the test server failed", failure);
        }
    }

    private void WriteFiles()
    {
        // the container runs as root without CAP_DAC_OVERRIDE: it may only write where the mode lets anyone write
        const UnixFileMode Everyone = (UnixFileMode)0b111_111_111;
        const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
        Directory.CreateDirectory(Path.Combine(_root, "www", "cgi-bin"));
        Directory.CreateDirectory(StateDir);
        File.SetUnixFileMode(_root, Everyone);
        File.SetUnixFileMode(StateDir, Everyone);
        File.WriteAllText(Path.Combine(_root, "www", "health"), "ok\n");
        Write(Path.Combine(_root, "start.sh"), CgiScripts.Start);
        foreach (var (name, script) in CgiScripts.All)
        {
            Write(Path.Combine(_root, "www", "cgi-bin", name), script);
        }

        static void Write(string path, string script)
        {
            File.WriteAllText(path, script.ReplaceLineEndings("\n") + "\n");
            File.SetUnixFileMode(path, Executable);
        }
    }
}
