using System.Diagnostics;
using System.Net;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Server.Tests.Workflows.Engine;
using Berth.Testing;
using Berth.Testing.Agents;
using Berth.Testing.Docker;
using OpenTelemetry.Trace;

namespace Berth.Server.Tests.Observability;

/// <summary>
/// Traces on a real server with tracing on and OpenTelemetry's in-memory exporter in place of OTLP: what an agent and a container
/// step receive as their trace context, and how a run's spans nest.
/// </summary>
[Collection(WorkflowDockerGroup.Name)]
[RequiresDocker]
public sealed class TracingTests : IAsyncLifetime
{
    private readonly ExportedSpans _spans = new();
    private readonly BusyboxHttpAgent _agent = new();
    private readonly string _name = $"t{Guid.NewGuid():N}"[..12];
    private WorkflowServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await WorkflowServer.StartAsync(
            ["--Berth:Telemetry:Tracing=true"],
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans)));
        (await _server.Server.ApplyAsync(_agent.Spec(_name))).EnsureSuccessStatusCode();
        await _server.Server.WaitRunningAsync(_name);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _agent.Dispose();
    }

    [Fact]
    public async Task ProxiedRequest_ReachesTheAgentInTheCallersTrace_ParentedByBerthsSpans()
    {
        // The test's own HttpClient is traced too (one process), so the caller's context travels as the current span, not a header.
        // Recorded, as a sampled caller's would be: the default sampler follows its parent's decision.
        using var caller = new Activity("test caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        caller.ActivityTraceFlags = ActivityTraceFlags.Recorded;

        using var response = await _server.Http.GetAsync($"/agents/{_name}/cgi-bin/traceparent", TestTimeouts.Token());
        var received = await response.Content.ReadAsStringAsync();
        caller.Stop();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var parts = received.Split('-');
        parts.Length.ShouldBe(4, $"the agent got traceparent '{received}'");
        parts[1].ShouldBe(caller.TraceId.ToHexString(), "the agent's work joins the caller's trace");
        var forward = await Eventually.MatchAsync(
            () => _spans.Snapshot().FirstOrDefault(s => s.TraceId == caller.TraceId && s.SpanId.ToHexString() == parts[2]),
            span => span is not null,
            $"an exported span {parts[2]} in trace {caller.TraceId}, the one the agent was told is its parent");
        var server = _spans.Snapshot().Single(s => s.SpanId == forward!.ParentSpanId);
        forward!.Kind.ShouldBe(ActivityKind.Client, "Berth's call to the agent");
        server.Kind.ShouldBe(ActivityKind.Server);
        server.DisplayName.ShouldBe("GET /agents/{name}/{**path}", "the proxied request's server span, named by its route");
    }

    [Fact]
    public async Task Run_StepSpansAreChildrenOfTheRunSpan_AndAContainerStepGetsItsSpanAsTRACEPARENT()
    {
        var marker = Guid.NewGuid().ToString("N");
        var workflow = new WorkflowSpec
        {
            Name = $"wf{marker}"[..12],
            Steps =
            [
                WorkflowServer.Shell("first", $"# {marker}\nprintf %s \"$TRACEPARENT\""),
                WorkflowServer.Shell("second", $"# {marker}\necho done", dependsOn: ["first"]),
            ],
        };

        var run = await _server.RunAsync(workflow);

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        var spans = await Eventually.MatchAsync(
            () => _spans.Snapshot(),
            s => s.Any(span => span.DisplayName == $"run {workflow.Name}") && s.Count(span => span.GetTagItem("berth.run.id") as string == run.Id) == 3,
            $"the run span and two step spans of run {run.Id}");
        var runSpan = spans.Single(s => s.DisplayName == $"run {workflow.Name}");
        var first = spans.Single(s => s.DisplayName == "step first" && s.GetTagItem("berth.run.id") as string == run.Id);
        var second = spans.Single(s => s.DisplayName == "step second" && s.GetTagItem("berth.run.id") as string == run.Id);
        runSpan.ParentSpanId.ShouldBe(default, "a run is a root span: it outlives the request that queued it");
        first.ParentSpanId.ShouldBe(runSpan.SpanId);
        second.ParentSpanId.ShouldBe(runSpan.SpanId);
        first.TraceId.ShouldBe(runSpan.TraceId);
        second.TraceId.ShouldBe(runSpan.TraceId);
        first.GetTagItem("berth.step.state").ShouldBe("succeeded");
        run.Steps!.Single(s => s.Id == "first").Outputs!.Stdout!.ShouldStartWith($"00-{first.TraceId}-{first.SpanId}-");
    }
}
