using System.Net;
using System.Net.Http.Json;
using System.Text;
using Berth.Client.Contracts;
using Berth.Core.Requests;
using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Server.Reconciliation;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Agents;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Requests;

/// <summary>
/// A durable agent whose route the reconciler has not published yet (applied a moment ago). The reconciler here passes only
/// when poked, and the agent is stored without a poke (the test then pokes at the usual pace), so the window stays open for as long as the test needs.
/// </summary>
public sealed class UnpublishedRouteTests : IAsyncLifetime
{
    private readonly BusyboxHttpAgent _agent = new();
    private readonly string _name = $"u{Guid.NewGuid():N}"[..12];
    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(extraArgs: ["--Berth:Reconciler:Interval=01:00:00"]);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _agent.Dispose();
    }

    [Fact]
    public async Task Proxy_DurableAgentWithoutARouteYet_QueuesTheRequest_RunsItOnceTheAgentStarts()
    {
        var services = _server.Server.Services;
        var directory = services.GetRequiredService<InstanceDirectory>();
        var reconcile = services.GetRequiredService<ReconcileSignal>();
        await WaitUntilReconcilerIdleAsync(directory, reconcile);
        await services.GetRequiredService<IAgentStore>().ApplyAsync(_agent.Spec(_name), TestTimeouts.Token());
        directory.Find(_name).ShouldBeNull();

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/agents/{_name}/cgi-bin/count") { Content = new StringContent("early", Encoding.UTF8, "text/plain") };
        request.Headers.Add("Berth-Wait", "0s");
        using var accepted = await _server.Http.SendAsync(request, TestTimeouts.Token());

        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync(TestTimeouts.Token()));
        var detail = await Eventually.MatchAsync(
            async token =>
            {
                reconcile.Poke(); // passes at the usual pace from now on: they start the instance and probe its health
                return (await _server.Http.GetFromJsonAsync<RequestDetail>(accepted.Headers.Location, BerthJson.Options, token))!;
            },
            d => d.Request.State == RequestState.Completed,
            "the queued request to complete");

        detail.Response!.Message.Body.ShouldBe("ran early\n");
        _agent.Executions.ShouldBe(1);
    }

    /// <summary>
    /// Returns once no pass runs and none is pending: the start-up pass may still run when the server answers. A pass ends with
    /// a publish, just before the loop waits for a poke; taking any pending poke there leaves the loop waiting out its hour.
    /// The first publish after this method's own poke ends the pass that poke started, or takes the poke before it starts one.
    /// </summary>
    private static async Task WaitUntilReconcilerIdleAsync(InstanceDirectory directory, ReconcileSignal reconcile)
    {
        var gate = new Lock();
        var poked = false;
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void TakePendingPoke()
        {
            lock (gate)
            {
                _ = reconcile.WaitAsync(TimeSpan.Zero, CancellationToken.None); // a zero timeout takes the poke at once, or nothing
                if (poked)
                {
                    idle.TrySetResult();
                }
            }
        }

        directory.Published += TakePendingPoke;
        try
        {
            lock (gate)
            {
                reconcile.Poke();
                poked = true;
            }

            await idle.Task.WaitAsync(TestTimeouts.Quick);
        }
        finally
        {
            directory.Published -= TakePendingPoke;
        }
    }
}
