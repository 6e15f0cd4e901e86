namespace Berth.Core.Specs;

/// <summary>
/// Finds cycles in agents' <c>dependsOn</c>: every agent on one would wait for the others to be healthy, forever.
/// A dependency on an agent that is not in the graph is legal (it may be applied later) and closes no cycle.
/// </summary>
public static class AgentDependencyCycles
{
    /// <summary>Most cycles <see cref="Find"/> reports; past it the rest are left for the next validation, so a hostile graph cannot make the report quadratic.</summary>
    public const int MaximumReported = 10;

    /// <summary>Cycles closed by back edges of a depth-first walk in name order, each as the agents around it (<c>a, b, a</c>) with the index, in the closing agent's <c>dependsOn</c>, of the dependency that closes it. At most <see cref="MaximumReported"/>.</summary>
    /// <param name="dependsOn">Agent name → the names it depends on.</param>
    public static IReadOnlyList<(IReadOnlyList<string> Cycle, int DependencyIndex)> Find(IReadOnlyDictionary<string, IReadOnlyList<string>> dependsOn)
    {
        ArgumentNullException.ThrowIfNull(dependsOn);
        var cycles = new List<(IReadOnlyList<string>, int)>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // absent new, -1 done, else 1 + position on the path
        var path = new List<string>();
        var stack = new Stack<(string Name, int Next)>();
        foreach (var root in dependsOn.Keys.Order(StringComparer.Ordinal))
        {
            if (state.ContainsKey(root))
            {
                continue;
            }

            Enter(root);
            while (stack.Count > 0 && cycles.Count < MaximumReported)
            {
                var (name, next) = stack.Pop();
                var needs = dependsOn[name];
                if (next >= needs.Count)
                {
                    state[name] = -1;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }

                stack.Push((name, next + 1));
                var need = needs[next];
                if (!dependsOn.ContainsKey(need))
                {
                    continue;
                }

                if (!state.TryGetValue(need, out var at))
                {
                    Enter(need);
                }
                else if (at > 0)
                {
                    cycles.Add(([.. path.Skip(at - 1), need], next));
                }
            }
        }

        return cycles;

        void Enter(string name)
        {
            path.Add(name);
            state[name] = path.Count;
            stack.Push((name, 0));
        }
    }

    /// <summary>A cycle that passes through <paramref name="name"/> (<c>a, b, a</c> for <c>a</c>), or null; found by a breadth-first walk, so it is a shortest one.</summary>
    /// <param name="name">The agent being applied.</param>
    /// <param name="dependsOn">Agent name → the names it depends on, including <paramref name="name"/>'s new spec.</param>
    public static IReadOnlyList<string>? Through(string name, IReadOnlyDictionary<string, IReadOnlyList<string>> dependsOn)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(dependsOn);
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(name);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var need in dependsOn.GetValueOrDefault(current) ?? [])
            {
                if (need == name)
                {
                    var cycle = new List<string> { name };
                    for (var at = current; at != name; at = cameFrom[at])
                    {
                        cycle.Add(at);
                    }

                    cycle.Add(name);
                    cycle.Reverse(1, cycle.Count - 2);
                    return cycle;
                }

                if (dependsOn.ContainsKey(need) && cameFrom.TryAdd(need, current))
                {
                    queue.Enqueue(need);
                }
            }
        }

        return null;
    }

    /// <summary>The cycle as it is shown in messages: <c>a → b → a</c>.</summary>
    public static string Format(IEnumerable<string> cycle) => string.Join(" → ", cycle);

    /// <summary>The message for a cycle, saying why it is refused and how to fix it.</summary>
    public static string Message(IReadOnlyList<string> cycle) =>
        $"dependsOn cycle {Format(cycle)}; each agent would wait for the other to be healthy forever; remove one of these dependencies";
}
