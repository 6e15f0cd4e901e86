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
        using var timeout = new CancellationTokenSource(TestTimeouts.Slow);
        RequestDetail? detail;
        do
        {
            reconcile.Poke(); // passes at the usual pace from now on: they start the instance and probe its health
            await Task.Delay(100, timeout.Token);
            detail = await _server.Http.GetFromJsonAsync<RequestDetail>(accepted.Headers.Location, BerthJson.Options, timeout.Token);
        }
        while (detail!.Request.State != RequestState.Completed);

        detail.Response!.Message.Body.ShouldBe("ran early\n");
        _agent.Executions.ShouldBe(1);
    }

    // The start-up pass may still be running when the server answers; after a poke, wait until passes stop publishing.
    private static async Task WaitUntilReconcilerIdleAsync(InstanceDirectory directory, ReconcileSignal reconcile)
    {
        var published = 0;
        void Count() => Interlocked.Increment(ref published);
        directory.Published += Count;
        try
        {
            reconcile.Poke();
            var deadline = DateTime.UtcNow + TestTimeouts.Quick;
            int seen;
            do
            {
                seen = Volatile.Read(ref published);
                await Task.Delay(500);
            }
            while ((seen == 0 || seen != Volatile.Read(ref published)) && DateTime.UtcNow < deadline);
        }
        finally
        {
            directory.Published -= Count;
        }
    }
}
