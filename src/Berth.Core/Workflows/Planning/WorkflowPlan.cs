namespace Berth.Core.Workflows.Planning;

/// <summary>The order a validated workflow's steps run in, and who depends on whom. Built in O(steps + needs · log steps).</summary>
public sealed class WorkflowPlan
{
    private readonly Dictionary<string, PlannedStep> _byId;
    private readonly Dictionary<string, List<string>> _dependents;

    private WorkflowPlan(IReadOnlyList<PlannedStep> steps, Dictionary<string, List<string>> dependents)
    {
        Steps = steps;
        _byId = steps.ToDictionary(s => s.Spec.Id, StringComparer.Ordinal);
        _dependents = dependents;
    }

    /// <summary>Every step in a topological order: each after the steps it needs; among steps ready together, spec order.</summary>
    public IReadOnlyList<PlannedStep> Steps { get; }

    /// <summary>Plans <paramref name="spec"/>, which must have passed <see cref="Specs.WorkflowSpecValidator"/>.</summary>
    /// <exception cref="ArgumentException">The steps form a cycle (the message names it) or ids repeat.</exception>
    public static WorkflowPlan Create(WorkflowSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var graph = StepGraph.Build(spec.Steps);
        if (graph.Indexes.Count != spec.Steps.Count)
        {
            throw new ArgumentException($"workflow '{spec.Name}' has repeated step ids; validate it first", nameof(spec));
        }

        var count = spec.Steps.Count;
        var waiting = new int[count];
        var dependents = new List<int>[count];
        for (var i = 0; i < count; i++)
        {
            dependents[i] = [];
        }

        for (var i = 0; i < count; i++)
        {
            waiting[i] = graph.Needs[i].Count;
            foreach (var need in graph.Needs[i].Keys)
            {
                dependents[need].Add(i);
            }
        }

        var ready = new PriorityQueue<int, int>();
        for (var i = 0; i < count; i++)
        {
            if (waiting[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        var order = new List<PlannedStep>(count);
        while (ready.TryDequeue(out var next, out _))
        {
            order.Add(new PlannedStep
            {
                Spec = spec.Steps[next],
                Index = next,
                Needs = graph.Needs[next].Keys.Select(n => spec.Steps[n].Id).ToHashSet(StringComparer.Ordinal),
            });
            foreach (var dependent in dependents[next])
            {
                if (--waiting[dependent] == 0)
                {
                    ready.Enqueue(dependent, dependent);
                }
            }
        }

        if (order.Count != count)
        {
            var (_, where, cycle) = graph.Cycles()[0];
            throw new ArgumentException($"workflow '{spec.Name}' has a cycle in {where}: {string.Join(" → ", cycle)}; validate it first", nameof(spec));
        }

        var byId = new Dictionary<string, List<string>>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            dependents[i].Sort();
            byId[spec.Steps[i].Id] = dependents[i].ConvertAll(d => spec.Steps[d].Id);
        }

        return new WorkflowPlan(order, byId);
    }

    /// <summary>The step with id <paramref name="stepId"/>.</summary>
    /// <exception cref="KeyNotFoundException">No step has that id.</exception>
    public PlannedStep this[string stepId] =>
        _byId.TryGetValue(stepId, out var step) ? step : throw new KeyNotFoundException($"the workflow has no step '{stepId}'");

    /// <summary>The steps that need <paramref name="stepId"/> directly, in spec order.</summary>
    public IReadOnlyList<string> DependentsOf(string stepId) =>
        _dependents.TryGetValue(stepId, out var dependents) ? dependents : throw new KeyNotFoundException($"the workflow has no step '{stepId}'");

    /// <summary>Every step that needs <paramref name="stepId"/> directly or through others (not the step itself).</summary>
    public IReadOnlySet<string> Downstream(string stepId)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(DependentsOf(stepId));
        while (pending.TryPop(out var next))
        {
            if (found.Add(next))
            {
                foreach (var dependent in _dependents[next])
                {
                    pending.Push(dependent);
                }
            }
        }

        return found;
    }
}
