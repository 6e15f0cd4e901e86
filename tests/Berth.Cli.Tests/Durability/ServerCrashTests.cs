using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Requests;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Cli.Tests.Durability;

/// <summary>The durable proxy across a SIGKILL of the real <c>berth server</c> process, with a real docker agent.</summary>
[RequiresDocker]
public sealed class ServerCrashTests : IAsyncLifetime
{
    private const int RequestCount = 20;

    private static readonly TimeSpan Whole = TimeSpan.FromMinutes(4);

    private readonly string _name = $"k{Guid.NewGuid():N}"[..12];
    private readonly CrashScratch _scratch = new("berth-crash");
    private DockerEngineClient _docker = null!;

    public async Task InitializeAsync()
    {
        _docker = await DockerTestEnvironment.RequireAsync();
        await TestImages.EnsureBusyboxAsync(_docker, TestTimeouts.Token());
    }

    public async Task DisposeAsync()
    {
        var failures = new List<Exception>();
        await CrashScratch.TryAsync(failures, RemoveAgentAsync);
        _scratch.StopServers();
        await CrashScratch.TryAsync(failures, RemoveEngineObjectsAsync);
        _docker.Dispose();
        await CrashScratch.TryAsync(failures, () =>
        {
            _scratch.Delete();
            return Task.CompletedTask;
        });
        if (failures.Count > 0)
        {
            throw new AggregateException("cleaning up after the crash test failed", failures);
        }
    }

    [Fact]
    public async Task Sigkill_WithRequestsAcceptedButNotForwarded_AfterRestartEveryOneCompletesOnce()
    {
        using var deadline = new CancellationTokenSource(Whole);
        var ct = deadline.Token;
        var agent = new CountingContainerAgent(Path.Combine(_scratch.Root, "www"));
        var first = await _scratch.StartServerAsync(ct);
        using (var client = _scratch.Client(first))
        {
            await client.ApplyAgentAsync(agent.Spec(_name), ct);
            await client.WaitForAgentAsync(_name, AgentState.Running, TestTimeouts.Slow, null, ct);
            await client.StopAgentAsync(_name, ct);
            await client.WaitForAgentAsync(_name, v => v.Instances.All(i => i.State != InstanceState.Running), TestTimeouts.Slow, null, ct);
        }

        var bodies = Enumerable.Range(1, RequestCount).Select(i => $"job-{i:D2}-{_name}").ToList();
        var locations = new List<string>();
        using (var http = Http(first))
        {
            foreach (var body in bodies)
            {
                locations.Add(await QueueAsync(http, body, ct));
            }
        }

        await first.KillAsync(ct);
        agent.Runs.ShouldBeEmpty("the agent was stopped, so nothing may have run before the crash");

        var second = await _scratch.StartServerAsync(ct);
        using (var client = _scratch.Client(second))
        {
            await client.StartAgentAsync(_name, ct);
            var answers = new List<string>();
            foreach (var location in locations)
            {
                var detail = await WaitCompletedAsync(client, location, second, ct);
                detail.Response!.Status.ShouldBe(200);
                answers.Add(detail.Response.Message.Body);
            }

            answers.ShouldBe(bodies.Select(b => $"ran {b}\n"));
        }

        agent.Runs.Order(StringComparer.Ordinal).ToList().ShouldBe(bodies, customMessage: "each queued request must run exactly once after the restart");
    }

    private HttpClient Http(BerthServerProcess server)
    {
        var http = new HttpClient { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _scratch.AdminToken);
        return http;
    }

    /// <summary>Sends one request to the stopped agent; the server must store it and answer 202 at once.</summary>
    private async Task<string> QueueAsync(HttpClient http, string body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"agents/{_name}/cgi-bin/count") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        request.Headers.Add("Berth-Wait", "0s");
        using var response = await http.SendAsync(request, ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(ct));
        var location = response.Headers.Location.ShouldNotBeNull().OriginalString;
        location.ShouldStartWith("/api/v1/requests/");
        return location;
    }

    private static Task<RequestDetail> WaitCompletedAsync(BerthClient client, string location, BerthServerProcess server, CancellationToken ct)
    {
        var id = location.Split('/')[^1];
        return Eventually.MatchAsync(
            token => client.GetRequestAsync(id, token),
            detail => detail.Request.State == RequestState.Completed,
            last => $"request {id} did not complete after the restart: it is {last?.Request.State} after {last?.Request.Attempts} attempts " +
                $"(last failure {last?.Request.LastFailure}: {last?.Request.LastError}). Server output:\n{server.Output}",
            cancellationToken: ct);
    }

    private async Task RemoveAgentAsync()
    {
        if (_scratch.Running is not { } server)
        {
            return;
        }

        using var client = _scratch.Client(server);
        await client.RemoveAgentAsync(_name, TimeSpan.FromSeconds(30), TestTimeouts.Token());
    }

    // A safety net for what a killed server or a failed removal leaves behind.
    private async Task RemoveEngineObjectsAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Slow);
        await _docker.RemoveLabelledAsync(LabelledEngineObjects.OfAgent(_name), cts.Token);
    }
}
