using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Core.Workflows.Runs;
using Berth.Server.Mcp.Resources;
using Berth.Server.Problems;
using Berth.Server.Workflows.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Prompts;

/// <summary>
/// The <c>debug_run</c> prompt: embeds a run as <c>berth://runs/{id}</c> shows it (the API's <see cref="RunViews.Detail"/>),
/// lists its failed steps with their error class, message and the cache explanation <c>berth runs explain</c> gives, and asks
/// the model for the cause and a fix. At most <see cref="MaxSteps"/> failed steps are spelled out; the embedded run has them all.
/// </summary>
[McpServerPromptType]
internal sealed class DebugRunPrompt(IRunStore runs, RunExplainer explainer)
{
    private const int MaxSteps = 20;

    [McpServerPrompt(Name = "debug_run", Title = "Debug a workflow run")]
    [Description("Shows a workflow run with its failed steps' errors and asks for the cause and a fix.")]
    public async Task<GetPromptResult> GetAsync(
        [Description("The run's id, as run_workflow, resources/list or 'berth runs ls' show it.")] string id,
        CancellationToken cancellationToken)
    {
        if (!BerthResourceUri.TryParse(BerthResourceUri.Run(id ?? ""), out var uri) || await runs.GetAsync(uri.Name, cancellationToken) is not { } run)
        {
            throw new McpProtocolException($"No run with id '{CallerText.Printable(id)}'. List runs with resources/list or 'berth runs ls'.", McpErrorCode.InvalidParams);
        }

        var view = RunViews.Detail(run, await runs.GetStepsAsync(run.Id, cancellationToken));
        var embedded = new EmbeddedResourceBlock
        {
            Resource = new TextResourceContents { Uri = uri.Uri, MimeType = ResourceReader.Json, Text = JsonSerializer.Serialize(view, BerthJson.Options) },
        };
        return new GetPromptResult
        {
            Description = $"Debug run {run.Id} of workflow {run.WorkflowName}",
            Messages =
            [
                new PromptMessage { Role = Role.User, Content = embedded },
                new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = await AskAsync(view, cancellationToken) } },
            ],
        };
    }

    private async Task<string> AskAsync(RunView run, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append("Above is workflow run ").Append(run.Id).Append(" of workflow '").Append(run.Workflow).Append("' as Berth stores it (berth://runs/")
            .Append(run.Id).Append("). Its state is ").Append(Name(run.State)).Append('.');
        if (run.Error is { } error)
        {
            text.Append(" Its error: ").Append(error);
        }

        text.Append("\n\n");
        var failed = (run.Steps ?? []).Where(s => s.Failure is not null).ToList();
        foreach (var step in failed.Take(MaxSteps))
        {
            var failure = step.Failure!;
            text.Append("Step '").Append(step.Id).Append("' (").Append(Name(step.Kind)).Append(" step, attempts started: ").Append(step.Attempt).Append(") failed with error class ")
                .Append(Name(failure.Class)).Append(": ").Append(failure.Message);
            if (failure.ExitCode is { } code)
            {
                text.Append(" (exit code ").Append(code).Append(')');
            }

            if (await explainer.ExplainAsync(run.Id, step.Id, cancellationToken) is { Result: Ok<CacheExplanation> { Value: { } explanation } })
            {
                text.Append(". Cache: ").Append(explanation.Message);
            }

            text.Append(".\n");
        }

        if (failed.Count > MaxSteps)
        {
            text.Append(failed.Count - MaxSteps).Append(" more failed steps are in the run above.\n");
        }

        text.Append(failed.Count == 0 ? "No step has failed.\n\n" : "\n");
        text.Append("""
            Diagnose this run. Name the step that failed first and the root cause, using the error classes: transient (a retry may pass), timeout (the step's timeout was hit), resource (out of memory, exit 137), user (a non-zero exit or a 4xx answer: the command, the request or the inputs are wrong), config (a bad spec or a missing image or agent), circuit-open (too many recent failures of the same target), cancelled.
            Then propose a fix: the change to the workflow spec (retry, timeout, inputs, step command or request), or what to check on an agent (read berth://agents/{name} and berth://agents/{name}/logs). If the run has not failed, say where it is and what it waits for.
            """);
        return text.ToString();
    }

    private static string Name<T>(T value)
        where T : struct, Enum => JsonSerializer.Serialize(value, BerthJson.Options).Trim('"');
}
