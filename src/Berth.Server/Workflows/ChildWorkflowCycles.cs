using Berth.Core.Specs;
using Berth.Core.Workflows;

namespace Berth.Server.Workflows;

/// <summary>
/// Cycles of child workflow steps across workflows (<c>ra → rb → ra</c>): each run of one would start runs of the next
/// forever, filling the engine. Checked when a workflow is applied, against the stored ones with it in place of its old version.
/// </summary>
internal static class ChildWorkflowCycles
{
    /// <summary>One error per child step of <paramref name="spec"/> that leads back to it, naming the cycle.</summary>
    public static IEnumerable<SpecError> Find(WorkflowSpec spec, IEnumerable<WorkflowSpec> stored)
    {
        var calls = stored.Where(w => w.Name != spec.Name).Append(spec).ToDictionary(w => w.Name, Children, StringComparer.Ordinal);
        for (var i = 0; i < spec.Steps.Count; i++)
        {
            if (spec.Steps[i].Workflow is { } child && PathBack(calls, child.Name, spec.Name) is { } path)
            {
                yield return new SpecError(
                    $"spec.steps[{i}].workflow.name",
                    $"cycle {string.Join(" → ", path.Prepend(spec.Name))}; a workflow cannot run itself as a child, directly or through others");
            }
        }
    }

    private static List<string> Children(WorkflowSpec spec) =>
        spec.Steps.Where(s => s.Workflow is not null).Select(s => s.Workflow!.Name).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Workflows from <paramref name="from"/> to <paramref name="target"/> through child steps (both included), or null; iterative, so a long chain cannot exhaust the stack.</summary>
    private static List<string>? PathBack(Dictionary<string, List<string>> calls, string from, string target)
    {
        var cameFrom = new Dictionary<string, string?>(StringComparer.Ordinal) { [from] = null };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var name))
        {
            if (name == target)
            {
                var path = new List<string>();
                for (string? at = name; at is not null; at = cameFrom[at])
                {
                    path.Add(at);
                }

                path.Reverse();
                return path;
            }

            foreach (var next in calls.GetValueOrDefault(name) ?? [])
            {
                if (cameFrom.TryAdd(next, name))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }
}
