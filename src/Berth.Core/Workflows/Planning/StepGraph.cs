using Berth.Core.Workflows.Expressions;

namespace Berth.Core.Workflows.Planning;

/// <summary>
/// The dependency graph of a workflow's steps: each step needs the existing steps its <c>dependsOn</c> and expressions name
/// (missing ids, the step itself and malformed expressions are left to the validator). Linear in the size of the spec.
/// </summary>
internal sealed class StepGraph
{
    private StepGraph(IReadOnlyList<StepSpec> steps, Dictionary<string, int> indexes, List<Dictionary<int, string>> needs)
    {
        Steps = steps;
        Indexes = indexes;
        Needs = needs;
    }

    public IReadOnlyList<StepSpec> Steps { get; }

    /// <summary>Step id → position in the spec (the first, when ids repeat).</summary>
    public IReadOnlyDictionary<string, int> Indexes { get; }

    /// <summary>Per step: the positions of the steps it needs → where the need is written (<c>dependsOn</c> or a template field's path).</summary>
    public IReadOnlyList<Dictionary<int, string>> Needs { get; }

    public static StepGraph Build(IReadOnlyList<StepSpec> steps)
    {
        var indexes = new Dictionary<string, int>(steps.Count, StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i]?.Id is { } id)
            {
                indexes.TryAdd(id, i);
            }
        }

        var needs = new List<Dictionary<int, string>>(steps.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var own = new Dictionary<int, string>();
            needs.Add(own);
            if (step is null)
            {
                continue;
            }

            void Need(string? id, string where)
            {
                if (id is not null && indexes.TryGetValue(id, out var index) && index != i)
                {
                    own.TryAdd(index, where);
                }
            }

            foreach (var id in step.DependsOn ?? [])
            {
                Need(id, "dependsOn");
            }

            foreach (var (path, text) in SafeTemplates(step))
            {
                foreach (var id in text.Steps)
                {
                    Need(id, path);
                }
            }
        }

        return new StepGraph(steps, indexes, needs);
    }

    /// <summary>Every cycle closed by a back edge of a depth-first walk in spec order: the step whose need closes it, where that need is written, and the ids around it (<c>a → b → a</c>).</summary>
    public List<(int Step, string Where, List<string> Cycle)> Cycles()
    {
        var cycles = new List<(int, string, List<string>)>();
        var state = new byte[Steps.Count]; // 0 new, 1 on the current path, 2 done
        var onPath = new List<int>();
        var positionOnPath = new int[Steps.Count];
        var stack = new Stack<(int Step, IEnumerator<KeyValuePair<int, string>> Next)>();
        for (var root = 0; root < Steps.Count; root++)
        {
            if (state[root] != 0)
            {
                continue;
            }

            Enter(root);
            while (stack.Count > 0)
            {
                var (step, next) = stack.Peek();
                if (!next.MoveNext())
                {
                    state[step] = 2;
                    onPath.RemoveAt(onPath.Count - 1);
                    stack.Pop();
                    continue;
                }

                var (need, where) = next.Current;
                if (state[need] == 0)
                {
                    Enter(need);
                }
                else if (state[need] == 1)
                {
                    var ids = onPath.Skip(positionOnPath[need]).Append(need).Select(i => Steps[i].Id).ToList();
                    cycles.Add((step, where, ids));
                }
            }
        }

        return cycles;

        void Enter(int step)
        {
            state[step] = 1;
            positionOnPath[step] = onPath.Count;
            onPath.Add(step);
            stack.Push((step, Needs[step].OrderBy(n => n.Key).GetEnumerator()));
        }
    }

    private static IEnumerable<(string Path, Template Template)> SafeTemplates(StepSpec step)
    {
        foreach (var (path, text) in StepTemplates.Of(step))
        {
            Template? template = null;
            try
            {
                template = text is null ? null : Template.Parse(text);
            }
            catch (ExpressionException)
            {
                // Reported by the validator; a malformed expression adds no need.
            }

            if (template is not null)
            {
                yield return (path, template);
            }
        }
    }
}
