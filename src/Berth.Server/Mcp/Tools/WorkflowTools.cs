using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Core.Workflows.Runs;
using Berth.Server.Mcp.Tasks;
using Berth.Server.Security;
using Berth.Server.Workflows.Api;
using Berth.Server.Workflows.Engine;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Tools;

/// <summary>
/// The workflow tools: what is applied, runs (started, followed with progress, read, cancelled) and why a step missed the
/// cache. They call the same methods as the REST API, so inputs are checked alike and failures read as the CLI prints them.
/// </summary>
[McpServerToolType]
internal sealed class WorkflowTools(IWorkflowStore workflows, WorkflowRuns runs, IRunStore store, RunFollower follower, RunExplainer explainer, TimeProvider time)
{
    /// <summary>How long <c>wait: true</c> waits.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(2);

    /// <summary>The longest wait a call may ask for; a longer run is followed with get_run (or as a task).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    /// <summary>Longest name or id an argument may carry: no workflow, run or step has a longer one.</summary>
    public const int MaxNameLength = 128;

    [McpServerTool(Name = "list_workflows", Title = "List workflows", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Lists every applied workflow with its steps and the inputs run_workflow takes (type, required, default).")]
    public async Task<WorkflowList> ListWorkflowsAsync(CancellationToken cancellationToken) =>
        new((await workflows.ListAsync(cancellationToken)).Select(WorkflowSummary.Of).ToList());

    [McpServerTool(Name = "run_workflow", Title = "Run a workflow", ReadOnly = false, Idempotent = false, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Starts a run of an applied workflow and returns its id and state. With wait, follows the run (sending a progress notification as each step finishes) and returns every step's outputs once it ends. Clients that use the tasks extension get a task for the run instead. Needs the operator role.")]
    [ToolPolicy(BerthPolicies.Operator)]
    [TaskSupport]
    public async Task<RunOutcome> RunWorkflowAsync(
        RequestContext<CallToolRequestParams> request,
        [Description("The workflow's name (metadata.name of its spec).")] string name,
        [Description("Input values by name, as the workflow declares them; omitted inputs take their defaults.")] JsonObject? inputs = null,
        [Description("How long to wait for the run to end: a duration like 30s or 5m (at most 10m), or true for 2m. Omitted or false: return at once.")] JsonElement? wait = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Check(name, nameof(name));
        var waitFor = ParseWait(wait);
        var run = ToolFailure.Unwrap(await runs.StartAsync(name, inputs, request.User?.Identity?.Name ?? "unknown", cancellationToken));
        if (TaskOffer.Of(request) is { } offer)
        {
            offer.Accept(RunTaskSource.TaskId(run.Id));
            waitFor = null;
        }

        var stored = (await store.GetAsync(run.Id, cancellationToken))!;
        return waitFor is { } limit ? await WaitAsync(request, stored, limit, cancellationToken) : RunOutcome.Of(stored, null);
    }

    [McpServerTool(Name = "get_run", Title = "Get a run", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Shows one run: its state, inputs and every step (state, attempts, outputs, failure with its error class and log tail).")]
    public async Task<RunView> GetRunAsync([Description("The run's id, as run_workflow returned it.")] string id, CancellationToken cancellationToken) =>
        ToolFailure.Unwrap(await runs.GetAsync(Check(id, nameof(id)), cancellationToken));

    [McpServerTool(Name = "cancel_run", Title = "Cancel a run", ReadOnly = false, Idempotent = true, Destructive = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Cancels a queued or running run: its running steps are stopped and the rest never start. A finished run is left as it is (an error says how it ended). Needs the operator role.")]
    [ToolPolicy(BerthPolicies.Operator)]
    public async Task<RunView> CancelRunAsync(
        RequestContext<CallToolRequestParams> request, [Description("The run's id.")] string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ToolFailure.Unwrap(await runs.CancelAsync(Check(id, nameof(id)), request.User?.Identity?.Name ?? "unknown", cancellationToken));
    }

    [McpServerTool(Name = "explain_step", Title = "Explain a step's cache use", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Says whether a step of a run reused a cached result and, when it missed, which parts of its cache key (image, command, env, inputs, files) changed since the closest earlier result.")]
    public async Task<CacheExplanation> ExplainStepAsync(
        [Description("The run's id.")] string run, [Description("The step's id in the workflow.")] string step, CancellationToken cancellationToken) =>
        ToolFailure.Unwrap(await explainer.ExplainAsync(Check(run, nameof(run)), Check(step, nameof(step)), cancellationToken));

    /// <summary>
    /// Follows the run until it ends or <paramref name="limit"/> passes, telling a client that sent a progress token of each
    /// finished step; the run goes on after a timeout. Each notification is sent before the next event is read (the SDK's
    /// IProgress does not wait, so the last ones could follow the answer, and a stateless client would never see them).
    /// </summary>
    private async Task<RunOutcome> WaitAsync(RequestContext<CallToolRequestParams> request, WorkflowRun run, TimeSpan limit, CancellationToken cancellationToken)
    {
        var token = request.Params?.ProgressToken;
        var total = run.Spec.Steps.Count;
        var done = 0;
        using var deadline = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var finished = await follower.FollowAsync(run.Id, 0, async item =>
            {
                if (item.StepId is { } step && IsStepEnd(item.Type))
                {
                    done++;
                    if (token is { } progressToken)
                    {
                        var value = new ProgressNotificationValue { Progress = done, Total = total, Message = $"step {step} {item.Type["step.".Length..]} ({done} of {total})" };
                        await request.Server.NotifyProgressAsync(progressToken, value, cancellationToken: linked.Token);
                    }
                }
            }, linked.Token);
            return RunOutcome.Of(finished!, await store.GetStepsAsync(run.Id, cancellationToken));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var now = (await store.GetAsync(run.Id, cancellationToken))!;
            return RunOutcome.Of(now, null, $"run {run.Id} is still {now.State.ToString().ToLowerInvariant()} after {Duration.Format(limit)} ({done} of {total} steps finished); it goes on: follow it with get_run, stop it with cancel_run");
        }
    }

    // Names and ids come from a model: bounded and printable before they are looked up or echoed in an error.
    private static string Check(string value, string argument) =>
        value is { Length: > 0 and <= MaxNameLength } && !value.Any(char.IsControl)
            ? value
            : throw new ToolFailure($"{argument} must be 1 to {MaxNameLength} characters without control characters; no workflow, run or step is named otherwise.");

    private static bool IsStepEnd(string type) => type is "step.succeeded" or "step.cached" or "step.failed" or "step.skipped" or "step.cancelled";

    private static TimeSpan? ParseWait(JsonElement? wait)
    {
        switch (wait)
        {
            case null or { ValueKind: JsonValueKind.Null or JsonValueKind.False }:
                return null;
            case { ValueKind: JsonValueKind.True }:
                return DefaultWait;
            case { ValueKind: JsonValueKind.String } text when text.GetString() is "true" or "false":
                return text.GetString() == "true" ? DefaultWait : null;
            case { ValueKind: JsonValueKind.String } text when Duration.TryParse(text.GetString(), out var value) && value > TimeSpan.Zero && value <= MaxWait:
                return value;
        }

        var given = wait.Value.ValueKind == JsonValueKind.String ? wait.Value.GetString()! : wait.Value.GetRawText();
        given = given.Length > 40 ? given[..40] + "…" : given;
        throw new ToolFailure($"wait must be a duration like 30s or 5m, at most {Duration.Format(MaxWait)}, or true (waits {Duration.Format(DefaultWait)}); got '{given}'. Follow a longer run with get_run.");
    }
}
