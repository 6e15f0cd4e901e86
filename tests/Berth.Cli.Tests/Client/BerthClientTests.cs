using System.Net;
using Berth.Client;
using Berth.Client.Errors;
using Berth.Client.Logs;
using Berth.Core.Runtime;
using Berth.Testing;

namespace Berth.Cli.Tests.Client;

public sealed class BerthClientTests
{
    private static (BerthClient Client, StubHandler Handler) Create(HttpStatusCode status, string body, string mediaType = "application/json")
    {
        var handler = new StubHandler(status, body, mediaType);
        var http = new HttpClient(handler) { BaseAddress = new Uri("http://berth.test:2378") };
        return (new BerthClient(http), handler);
    }

    [Fact]
    public async Task ApplyAgentAsync_ValidationProblem_ThrowsWithEveryError()
    {
        const string problem = """
            {"type":"https://berth.dev/problems/invalid-spec","title":"The spec is invalid","status":400,"detail":"2 problems",
             "errors":[{"path":"spec.port","message":"expected 1-65535","line":7,"column":9},{"path":"spec.image","message":"required"}]}
            """;
        var (client, _) = Create(HttpStatusCode.BadRequest, problem, "application/problem+json");

        var exception = await Should.ThrowAsync<BerthApiException>(
            () => client.ApplyAgentAsync(new Berth.Core.Specs.AgentSpec { Name = "echo", Image = "local/echo:1" }, TestTimeouts.Token(TestTimeouts.Quick)));

        exception.Status.ShouldBe(400);
        exception.Title.ShouldBe("The spec is invalid");
        exception.Detail.ShouldBe("2 problems");
        exception.Errors.Count.ShouldBe(2);
        exception.Errors[0].ShouldBe(new Berth.Core.Specs.SpecError("spec.port", "expected 1-65535", 7, 9));
        exception.Message.ShouldContain("spec.image: required");
    }

    [Fact]
    public async Task GetAgentAsync_NotFound_ThrowsWithStatus404()
    {
        var (client, handler) = Create(HttpStatusCode.NotFound, """{"title":"Agent not found","status":404,"detail":"no agent named 'x'"}""", "application/problem+json");

        var exception = await Should.ThrowAsync<BerthApiException>(() => client.GetAgentAsync("x", TestTimeouts.Token(TestTimeouts.Quick)));

        exception.IsNotFound.ShouldBeTrue();
        exception.Detail.ShouldBe("no agent named 'x'");
        handler.Requests.Single().RequestUri!.AbsolutePath.ShouldBe("/api/v1/agents/x");
    }

    [Fact]
    public async Task ListAgentsAsync_NonJsonError_KeepsTheBodyAsDetail()
    {
        var (client, _) = Create(HttpStatusCode.BadGateway, "upstream exploded", "text/plain");

        var exception = await Should.ThrowAsync<BerthApiException>(() => client.ListAgentsAsync(TestTimeouts.Token(TestTimeouts.Quick)));

        exception.Status.ShouldBe(502);
        exception.Detail.ShouldBe("upstream exploded");
    }

    [Fact]
    public async Task StreamLogsAsync_NdjsonBody_YieldsEachEntryAndSendsTheQuery()
    {
        const string body = """
            {"instanceId":"echo-1","time":"2026-01-01T00:00:00Z","source":"stdout","line":"hello"}

            {"instanceId":"echo-1","time":"2026-01-01T00:00:01Z","source":"stderr","line":"oops"}
            """;
        var (client, handler) = Create(HttpStatusCode.OK, body, "application/x-ndjson");

        var entries = new List<LogEntry>();
        await foreach (var entry in client.StreamLogsAsync("echo", new LogStreamOptions { Tail = 5, Since = "10m", Follow = true }, TestTimeouts.Token(TestTimeouts.Quick)))
        {
            entries.Add(entry);
        }

        entries.Select(e => (e.Source, e.Line)).ShouldBe([(LogSource.Stdout, "hello"), (LogSource.Stderr, "oops")]);
        handler.Requests.Single().RequestUri!.PathAndQuery.ShouldBe("/api/v1/agents/echo/logs?tail=5&since=10m&follow=true");
    }

    [Fact]
    public async Task RemoveAgentAsync_SendsTheWaitAsADuration()
    {
        var (client, handler) = Create(HttpStatusCode.Accepted, """{"name":"echo","completed":false}""");

        var response = await client.RemoveAgentAsync("echo", TimeSpan.FromSeconds(90), TestTimeouts.Token(TestTimeouts.Quick));

        response.Completed.ShouldBeFalse();
        handler.Requests.Single().Method.ShouldBe(HttpMethod.Delete);
        handler.Requests.Single().RequestUri!.PathAndQuery.ShouldBe("/api/v1/agents/echo?wait=1m30s");
    }

    [Fact]
    public async Task ListAgentsAsync_NothingListening_ThrowsUnavailable()
    {
        var address = new Uri($"http://127.0.0.1:{Infrastructure.UnusedPort.Get()}/");
        using var client = new BerthClient(address);

        var exception = await Should.ThrowAsync<BerthUnavailableException>(() => client.ListAgentsAsync(TestTimeouts.Token(TestTimeouts.Quick)));

        exception.Server.ShouldBe(address);
    }

    [Fact]
    public void GetProxyAddress_BaseWithPrefix_KeepsThePrefix()
    {
        using var client = new BerthClient(new Uri("http://host:2378/berth"));

        client.GetProxyAddress("echo").ShouldBe(new Uri("http://host:2378/berth/agents/echo/"));
    }
}
