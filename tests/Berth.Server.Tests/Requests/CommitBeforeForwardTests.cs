using System.Net;
using System.Net.Http.Json;
using Berth.Client.Contracts;
using Berth.Core.Requests;
using Berth.Core.Serialization;
using Berth.Server.Tests.Fakes;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Agents;

namespace Berth.Server.Tests.Requests;

/// <summary>
/// Many concurrent requests to an agent with persistence on, against the real store: each is committed before the agent
/// sees it (the agent checks for the file the store creates after the commit), and every one lands in the store.
/// </summary>
public sealed class CommitBeforeForwardTests : IAsyncLifetime
{
    private const int Concurrent = 40;

    // Logs "request-id yes" when the store's commit marker for the request exists when the agent runs, "no" otherwise.
    private const string CheckScript = """
        #!/bin/sh
        if [ -e "{markers}/$HTTP_BERTH_REQUEST_ID" ]; then seen=yes; else seen=no; fi
        echo "$HTTP_BERTH_REQUEST_ID $seen" >> {log}
        printf 'Content-Type: text/plain\r\n\r\nchecked\n'
        """;

    private readonly BusyboxHttpAgent _agent = new();
    private readonly string _name = $"g{Guid.NewGuid():N}"[..12];
    private TestServer _server = null!;

    private string Markers => Path.Combine(_agent.Root, "committed");

    private string Log => Path.Combine(_agent.Root, "checks.log");

    public async Task InitializeAsync()
    {
        AgentFiles.CreateSharedDirectory(Markers);
        AgentFiles.WriteScript(
            Path.Combine(_agent.Root, "cgi-bin", "check"),
            CheckScript.Replace("{markers}", Markers, StringComparison.Ordinal).Replace("{log}", Log, StringComparison.Ordinal));
        _server = await TestServer.StartAsync(services: s => CommitMarkingRequestStore.Decorate(s, Markers));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _agent.Dispose();
    }

    [Fact]
    public async Task ProxyPost_FortyConcurrent_EachCommittedBeforeTheAgentSeesIt_AllStoredCompleted()
    {
        (await _server.ApplyAsync(_agent.Spec(_name))).EnsureSuccessStatusCode();
        await _server.WaitRunningAsync(_name);

        var responses = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(async i =>
        {
            using var response = await _server.Http.PostAsync($"/agents/{_name}/cgi-bin/check", new StringContent($"n{i}"), TestTimeouts.Token());
            return (response.StatusCode, Id: response.Headers.GetValues("Berth-Request-Id").Single(), Body: await response.Content.ReadAsStringAsync(TestTimeouts.Token()));
        }));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK && r.Body == "checked\n");
        var checks = File.ReadAllLines(Log).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        checks.Count.ShouldBe(Concurrent, "the agent ran each request once");
        checks.Keys.ShouldBe(responses.Select(r => r.Id), ignoreOrder: true);
        checks.Where(c => c.Value != "yes").Select(c => c.Key).ShouldBeEmpty("every request is committed before it is forwarded");
        await Eventually.TrueAsync(
            async token =>
            {
                var stored = await _server.Http.GetFromJsonAsync<List<RequestView>>($"/api/v1/requests?agent={_name}&limit=100", BerthJson.Options, token);
                return stored!.Count == Concurrent && stored.All(r => r.State == RequestState.Completed);
            },
            $"all {Concurrent} requests stored as completed (their outcomes are committed in the background)");
    }
}
