using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Serialization;
using Berth.Server.Mcp.Resources;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Tests.Mcp;

public sealed class ResourceSubscriptionTests(McpResourceServer fixture) : IClassFixture<McpResourceServer>
{
    [Fact]
    public async Task Subscribe_2025ClientAndAgentStopped_IsToldTheAgentsUriAndReadsItStopped()
    {
        var name = await DeployAsync();
        var uri = $"berth://agents/{name}";
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync(), "2025-11-25");
        var updates = Channel.CreateUnbounded<string>();
        await using var subscription = await client.SubscribeToResourceAsync(
            uri, (notification, _) => { updates.Writer.TryWrite(notification.Uri); return ValueTask.CompletedTask; }, cancellationToken: TestTimeouts.Token());

        await StopAsync(name);

        // Each notification says "read it again"; the one sent after the stop was stored shows it.
        var token = TestTimeouts.Token();
        AgentView read;
        do
        {
            (await updates.Reader.ReadAsync(token)).ShouldBe(uri);
            read = JsonSerializer.Deserialize<AgentView>(
                (await client.ReadResourceAsync(uri, cancellationToken: token)).Contents.OfType<TextResourceContents>().Single().Text, BerthJson.Options)!;
        }
        while (read.DesiredState != DesiredState.Stopped);
    }

    [Fact]
    public async Task Listen_2026ClientAndAgentStopped_GetsTheUpdateOnTheListenStreamTaggedWithItsId()
    {
        var name = await DeployAsync();
        var uri = $"berth://agents/{name}";
        using var http = fixture.Server.CreateHttp(await ViewerAsync());
        var token = TestTimeouts.Token();
        using var response = await http.SendAsync(Listen(7, [uri]), HttpCompletionOption.ResponseHeadersRead, token);
        response.IsSuccessStatusCode.ShouldBeTrue(await ErrorTextAsync(response));
        using var stream = new StreamReader(await response.Content.ReadAsStreamAsync(token));

        var acknowledged = await NextMessageAsync(stream, token);
        acknowledged["method"]!.GetValue<string>().ShouldBe("notifications/subscriptions/acknowledged");
        acknowledged["params"]!["notifications"]!["resourceSubscriptions"]!.AsArray().Select(u => u!.GetValue<string>()).ShouldBe([uri]);
        acknowledged["params"]!["_meta"]!["io.modelcontextprotocol/subscriptionId"]!.GetValue<int>().ShouldBe(7);
        await StopAsync(name);

        JsonObject updated;
        do
        {
            updated = await NextMessageAsync(stream, token);
        }
        while (updated["method"]!.GetValue<string>() != "notifications/resources/updated");

        updated["params"]!["uri"]!.GetValue<string>().ShouldBe(uri);
        updated["params"]!["_meta"]!["io.modelcontextprotocol/subscriptionId"]!.GetValue<int>().ShouldBe(7);
    }

    [Fact]
    public async Task ListChanged_2025ClientAndWorkflowAdded_IsTold()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync(), "2025-11-25");
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var handler = client.RegisterNotificationHandler(
            NotificationMethods.ResourceListChangedNotification, (_, _) => { changed.TrySetResult(); return ValueTask.CompletedTask; });
        var name = $"l{Guid.NewGuid():N}"[..12];

        await fixture.Workflows.ApplyAsync(name, $$$"""{"name":"{{{name}}}","steps":[{"id":"a","agent":{"name":"x","method":"GET","path":"/"}}]}""");

        await changed.Task.WaitAsync(TestTimeouts.Token());
        (await client.ListResourcesAsync(new ListResourcesRequestParams(), TestTimeouts.Token())).Resources.Select(r => r.Uri).ShouldContain($"berth://workflows/{name}");
    }

    [Fact]
    public async Task Listen_MoreUrisThanTheLimit_IsRefusedNamingIt()
    {
        using var http = fixture.Server.CreateHttp(await ViewerAsync());
        var uris = Enumerable.Range(0, ResourceWatch.MaxUris + 1).Select(i => $"berth://runs/r{i}").ToArray();

        using var response = await http.SendAsync(Listen(8, uris), TestTimeouts.Token());

        var body = await response.Content.ReadAsStringAsync();
        body.ShouldContain($"at most {ResourceWatch.MaxUris} resources");
        body.ShouldNotContain("notifications/subscriptions/acknowledged");
    }

    [Fact]
    public async Task Session_ClientDisposed_ItsWatchIsGone()
    {
        var watches = fixture.Server.Server.Services.GetRequiredService<SessionWatches>();
        await Eventually.TrueAsync(() => watches.Count == 0, "no session left from other tests");
        var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync(), "2025-11-25");
        await client.SubscribeToResourceAsync($"berth://runs/{fixture.FailedRun.Id}", cancellationToken: TestTimeouts.Token());
        watches.Find(client.SessionId).ShouldNotBeNull().Count.ShouldBe(1);

        await client.DisposeAsync();

        await Eventually.TrueAsync(() => watches.Count == 0, "the session's watch to end with it");
    }

    [Fact]
    public async Task Subscribe_MoreThanTheLimit_IsRefusedNamingIt()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync(), "2025-11-25");
        for (var i = 0; i < ResourceWatch.MaxUris; i++)
        {
            await client.SubscribeToResourceAsync($"berth://runs/r{i}", cancellationToken: TestTimeouts.Token());
        }

        var error = await Should.ThrowAsync<McpProtocolException>(
            async () => await client.SubscribeToResourceAsync("berth://runs/one-more", cancellationToken: TestTimeouts.Token()));

        error.ErrorCode.ShouldBe(McpErrorCode.InvalidParams);
        error.Message.ShouldContain($"{ResourceWatch.MaxUris} resources");
    }

    [Fact]
    public async Task Subscribe_Logs_IsRefusedPointingAtTheAgent()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, await ViewerAsync(), "2025-11-25");

        var error = await Should.ThrowAsync<McpProtocolException>(
            async () => await client.SubscribeToResourceAsync($"berth://agents/{fixture.AgentName}/logs", cancellationToken: TestTimeouts.Token()));

        error.ErrorCode.ShouldBe(McpErrorCode.InvalidParams);
        error.Message.ShouldContain($"watch berth://agents/{fixture.AgentName}");
    }

    private static HttpRequestMessage Listen(int id, string[] uris)
    {
        var body = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["method"] = "subscriptions/listen",
            ["params"] = new JsonObject
            {
                ["notifications"] = new JsonObject { ["resourceSubscriptions"] = new JsonArray([.. uris.Select(u => JsonValue.Create(u))]) },
                ["_meta"] = new JsonObject
                {
                    ["io.modelcontextprotocol/protocolVersion"] = "2026-07-28",
                    ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "test", ["version"] = "1" },
                    ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
                },
            },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        request.Headers.Add("Mcp-Method", "subscriptions/listen");
        return request;
    }

    // One JSON-RPC message per SSE event's data line.
    private static async Task<JsonObject> NextMessageAsync(StreamReader stream, CancellationToken token)
    {
        while (await stream.ReadLineAsync(token) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal) && line.Length > 5)
            {
                return JsonNode.Parse(line[5..])!.AsObject();
            }
        }

        throw new InvalidOperationException("The listen stream ended before the expected message.");
    }

    private static async Task<string> ErrorTextAsync(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();

    private async Task<string> DeployAsync()
    {
        var name = $"s{Guid.NewGuid():N}"[..12];
        (await fixture.Server.ApplyAsync(fixture.Agent.Spec(name))).EnsureSuccessStatusCode();
        await fixture.Server.WaitRunningAsync(name);
        return name;
    }

    private async Task StopAsync(string name) =>
        (await fixture.Server.Http.PostAsync($"/api/v1/agents/{name}/stop", null, TestTimeouts.Token())).EnsureSuccessStatusCode();

    private async Task<string> ViewerAsync() => (await Security.TokenRequests.CreateAsync(fixture.Server, "viewer")).Token;
}
