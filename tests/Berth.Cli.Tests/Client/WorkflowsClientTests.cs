using System.Net;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Errors;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Testing;

namespace Berth.Cli.Tests.Client;

public sealed class WorkflowsClientTests
{
    private const string Run = """
        {"id":"r1","workflow":"build","state":"running","startedBy":"admin","inputs":{"n":2},"createdAt":"2026-01-01T00:00:00Z",
         "stepCounts":{"succeeded":1,"pending":2}}
        """;

    private static (BerthClient Client, BodyRecordingHandler Handler) Create(HttpStatusCode status, string body, string mediaType = "application/json")
    {
        var handler = new BodyRecordingHandler(new StubHandler(status, body, mediaType));
        var http = new HttpClient(handler) { BaseAddress = new Uri("http://berth.test:2378") };
        return (new BerthClient(http), handler);
    }

    private static async Task<List<RunEvent>> ReadAllAsync(IAsyncEnumerable<RunEvent> events)
    {
        var list = new List<RunEvent>();
        await foreach (var runEvent in events.WithCancellation(TestTimeouts.Token(TestTimeouts.Quick)))
        {
            list.Add(runEvent);
        }

        return list;
    }

    [Fact]
    public async Task ApplyWorkflowAsync_Spec_PutsItsDocumentAndReadsTheOutcome()
    {
        const string body = """
            {"outcome":"created","workflow":{"name":"build","spec":{"name":"build","steps":[]},"generation":1,
             "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}}
            """;
        var (client, handler) = Create(HttpStatusCode.Created, body);
        var spec = new WorkflowSpec { Name = "build", Timeout = TimeSpan.FromMinutes(5) };

        var response = await client.ApplyWorkflowAsync(spec, TestTimeouts.Token(TestTimeouts.Quick));

        response.Outcome.ShouldBe(ApplyOutcome.Created);
        response.Workflow.Generation.ShouldBe(1);
        var request = handler.Requests.Single();
        request.Method.ShouldBe(HttpMethod.Put);
        request.RequestUri!.AbsolutePath.ShouldBe("/api/v1/workflows/build");
        var sent = JsonNode.Parse(handler.Bodies.Single())!;
        ((string?)sent["kind"]).ShouldBe("Workflow");
        ((string?)sent["metadata"]!["name"]).ShouldBe("build");
        ((string?)sent["spec"]!["timeout"]).ShouldBe("5m");
    }

    [Fact]
    public async Task ApplyWorkflowAsync_Invalid_ThrowsWithEveryError()
    {
        const string problem = """
            {"title":"Invalid workflow","status":422,"errors":[{"path":"spec.steps[0].id","message":"required"}]}
            """;
        var (client, _) = Create(HttpStatusCode.UnprocessableEntity, problem, "application/problem+json");

        var exception = await Should.ThrowAsync<BerthApiException>(
            () => client.ApplyWorkflowAsync(new WorkflowSpec { Name = "bad" }, TestTimeouts.Token(TestTimeouts.Quick)));

        exception.Status.ShouldBe(422);
        exception.Errors.ShouldHaveSingleItem().Path.ShouldBe("spec.steps[0].id");
    }

    [Fact]
    public async Task StartRunAsync_Inputs_PostedUnderInputs()
    {
        var (client, handler) = Create(HttpStatusCode.Created, Run);

        var run = await client.StartRunAsync("build", new JsonObject { ["n"] = 2 }, TestTimeouts.Token(TestTimeouts.Quick));

        run.Id.ShouldBe("r1");
        run.State.ShouldBe(RunState.Running);
        var request = handler.Requests.Single();
        request.Method.ShouldBe(HttpMethod.Post);
        request.RequestUri!.AbsolutePath.ShouldBe("/api/v1/workflows/build/runs");
        handler.Bodies.Single().ShouldBe("""{"inputs":{"n":2}}""");
    }

    [Fact]
    public async Task ListRunsAsync_Filters_SentInTheQueryAndStepCountsRead()
    {
        var (client, handler) = Create(HttpStatusCode.OK, $"[{Run}]");

        var runs = await client.ListRunsAsync("build", RunState.Running, 5, TestTimeouts.Token(TestTimeouts.Quick));

        handler.Requests.Single().RequestUri!.PathAndQuery.ShouldBe("/api/v1/runs?workflow=build&state=running&limit=5");
        runs.ShouldHaveSingleItem().StepCounts![StepState.Pending].ShouldBe(2);
    }

    [Fact]
    public async Task CancelRunAsync_Finished_ThrowsConflict()
    {
        var (client, handler) = Create(HttpStatusCode.Conflict, """{"title":"Run finished","status":409}""", "application/problem+json");

        var exception = await Should.ThrowAsync<BerthApiException>(() => client.CancelRunAsync("r1", TestTimeouts.Token(TestTimeouts.Quick)));

        exception.Status.ShouldBe(409);
        handler.Requests.Single().RequestUri!.AbsolutePath.ShouldBe("/api/v1/runs/r1/cancel");
    }

    [Fact]
    public async Task ExplainStepAsync_Miss_ReadsDifferences()
    {
        const string body = """
            {"runId":"r1","stepId":"b","hit":false,"key":"sha256:1","closestCreatedAt":"2026-01-01T00:00:00Z",
             "differences":["file:/in/a.txt changed"],"message":"missed"}
            """;
        var (client, handler) = Create(HttpStatusCode.OK, body);

        var explanation = await client.ExplainStepAsync("r1", "b", TestTimeouts.Token(TestTimeouts.Quick));

        handler.Requests.Single().RequestUri!.AbsolutePath.ShouldBe("/api/v1/runs/r1/steps/b/explain");
        explanation.Differences.ShouldBe(["file:/in/a.txt changed"]);
    }

    [Fact]
    public async Task DeleteWorkflowAsync_UnknownName_ThrowsNotFound()
    {
        var (client, _) = Create(HttpStatusCode.NotFound, """{"title":"Not found","status":404}""", "application/problem+json");

        var exception = await Should.ThrowAsync<BerthApiException>(() => client.DeleteWorkflowAsync("nope", TestTimeouts.Token(TestTimeouts.Quick)));

        exception.IsNotFound.ShouldBeTrue();
    }

    [Fact]
    public async Task StreamRunEventsAsync_EventsWithCommentsAndMultiLineData_YieldsEachEventThenEndsWithTheStream()
    {
        const string stream =
            ": keep-alive\n\n" +
            "id: 1\nevent: step.started\ndata: {\"sequence\":1,\"runId\":\"r1\",\"time\":\"2026-01-01T00:00:00Z\",\n" +
            "data: \"type\":\"step.started\",\"stepId\":\"a\",\"attempt\":1}\n\n" +
            ": still here\n" +
            "id: 2\nevent: step.log\ndata:{\"sequence\":2,\"runId\":\"r1\",\"time\":\"2026-01-01T00:00:01Z\",\"type\":\"step.log\",\"stepId\":\"a\",\"message\":\"hello: world\"}\n\n" +
            "id: 3\r\nevent: run.succeeded\r\ndata: {\"runId\":\"r1\",\"time\":\"2026-01-01T00:00:02Z\",\"type\":\"run.succeeded\"}\r\n\r\n";
        var (client, handler) = Create(HttpStatusCode.OK, stream, "text/event-stream");

        var events = await ReadAllAsync(client.StreamRunEventsAsync("r1", after: 7, follow: false, TestTimeouts.Token(TestTimeouts.Quick)));

        handler.Requests.Single().RequestUri!.PathAndQuery.ShouldBe("/api/v1/runs/r1/events?after=7&follow=false");
        events.Select(e => e.Type).ShouldBe(["step.started", "step.log", "run.succeeded"]);
        events[0].Attempt.ShouldBe(1);
        events[1].Message.ShouldBe("hello: world");
        events[2].Sequence.ShouldBe(3);
    }

    [Fact]
    public async Task StreamRunEventsAsync_StreamCutMidEvent_DropsTheIncompleteEvent()
    {
        const string stream =
            "id: 1\ndata: {\"sequence\":1,\"runId\":\"r1\",\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"run.started\"}\n\n" +
            "id: 2\ndata: {\"sequence\":2,";
        var (client, _) = Create(HttpStatusCode.OK, stream, "text/event-stream");

        var events = await ReadAllAsync(client.StreamRunEventsAsync("r1", cancellationToken: TestTimeouts.Token(TestTimeouts.Quick)));

        events.ShouldHaveSingleItem().Type.ShouldBe("run.started");
    }

    [Fact]
    public async Task StreamRunEventsAsync_UnknownRun_ThrowsNotFoundBeforeAnyEvent()
    {
        var (client, _) = Create(HttpStatusCode.NotFound, """{"title":"Run not found","status":404}""", "application/problem+json");

        var exception = await Should.ThrowAsync<BerthApiException>(
            () => ReadAllAsync(client.StreamRunEventsAsync("nope", cancellationToken: TestTimeouts.Token(TestTimeouts.Quick))));

        exception.IsNotFound.ShouldBeTrue();
    }

    /// <summary>Keeps each request's body, which the client disposes with the request.</summary>
    private sealed class BodyRecordingHandler(StubHandler inner) : DelegatingHandler(inner)
    {
        public List<HttpRequestMessage> Requests => inner.Requests;

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
