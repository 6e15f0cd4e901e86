using Berth.Client.Contracts;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Expressions;
using Berth.Core.Workflows.Specs;
using Berth.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Berth.Server.Workflows;

/// <summary>
/// Applying workflows: validated in full (paths named) before anything is stored, including what depends on the workflows
/// already stored (a cycle of child workflow steps) and on the server's limits (a <c>forEach</c> over a literal list).
/// </summary>
internal sealed class WorkflowCommands(IWorkflowStore workflows, WorkflowChanges changes, IOptions<BerthOptions> options) : IDisposable
{
    // Applies are checked against the stored workflows and then stored; one at a time, so two applies cannot close a cycle between them.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Applies a spec the API has read and validated (<see cref="Problems.SpecBody"/>), checking it against the stored workflows and the server's limits.</summary>
    public async Task<(WorkflowApplyResponse? Response, ProblemHttpResult? Problem)> ApplyAsync(WorkflowSpec spec, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (await CheckAsync([spec], prefixed: false, cancellationToken) is { } problem)
            {
                return (null, problem);
            }

            var (record, outcome) = await workflows.ApplyAsync(spec, cancellationToken);
            if (outcome != ApplyOutcome.Unchanged)
            {
                changes.Raise(spec.Name, listChanged: outcome == ApplyOutcome.Created);
            }

            return (new WorkflowApplyResponse(outcome, record), null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Null when every spec may be stored; else a 400 listing every error, paths prefixed <c>workflows/{name}: </c> when
    /// <paramref name="prefixed"/>. Checked against the stored workflows with every spec of this apply in place of its stored version.
    /// </summary>
    public async Task<ProblemHttpResult?> CheckAsync(IReadOnlyList<WorkflowSpec> specs, bool prefixed, CancellationToken cancellationToken)
    {
        var names = specs.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var others = (await workflows.ListAsync(cancellationToken)).Select(w => w.Spec).Where(w => !names.Contains(w.Name)).Concat(specs).ToList();
        var found = specs
            .SelectMany(spec => ChildWorkflowCycles.Find(spec, others).Concat(LiteralForEachLists(spec))
                .Select(e => prefixed ? e with { Path = $"workflows/{spec.Name}: {e.Path}" } : e))
            .ToList();
        return found.Count == 0 ? null : Problems.Problems.Validation(found);
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>A <c>forEach</c> over an input whose default list is longer than the server runs: refused now rather than failing every run.</summary>
    private IEnumerable<SpecError> LiteralForEachLists(WorkflowSpec spec)
    {
        var max = options.Value.Workflows.MaxForEachItems;
        foreach (var step in spec.Steps.Where(s => s.ForEach is not null))
        {
            foreach (var name in Template.Parse(step.ForEach!).Inputs)
            {
                if (spec.Inputs.TryGetValue(name, out var input) && input.Default is System.Text.Json.Nodes.JsonArray { Count: var count } && count > max)
                {
                    yield return new SpecError(
                        $"spec.inputs.{name}.default",
                        $"a list of {count} items, used by forEach of step '{step.Id}', but a step runs at most {max} items (Berth:Workflows:MaxForEachItems); split the list");
                }
            }
        }
    }
}
