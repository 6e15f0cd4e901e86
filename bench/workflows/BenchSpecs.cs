using System.Globalization;
using Berth.Core.Workflows;

namespace Berth.Bench.Workflows;

/// <summary>The workflows the benchmark runs and plans.</summary>
internal static class BenchSpecs
{
    /// <summary>Steps of one group of <see cref="Dag"/>: 9 chains of 11 steps, then one step joining their ends.</summary>
    private const int GroupSize = 100;
    private const int ChainsPerGroup = 9;
    private const int ChainLength = 11;

    /// <summary>
    /// A chain of busybox steps <c>s1 → s2 → …</c>: step k prints <c>step k got [$PREV]</c> with <c>PREV</c> set to the previous
    /// step's stdout through an expression, so the data really passes and each step needs the one before.
    /// </summary>
    public static WorkflowSpec Chain(string name, string image, int steps, bool cache) => new()
    {
        Name = name,
        Steps = Enumerable.Range(1, steps).Select(k => Busybox(
            StepId(k),
            ChainScript(k),
            k == 1 ? new Dictionary<string, string>() : new Dictionary<string, string> { ["PREV"] = $"${{{{ steps.{StepId(k - 1)}.stdout }}}}" },
            cache,
            image)).ToList(),
    };

    /// <summary><paramref name="steps"/> busybox steps that need nothing; step k prints <c>independent k</c>.</summary>
    public static WorkflowSpec Independent(string name, string image, int steps) => new()
    {
        Name = name,
        Steps = Enumerable.Range(1, steps).Select(k => Busybox(StepId(k), $"echo \"independent {k}\"", new Dictionary<string, string>(), cache: true, image)).ToList(),
    };

    /// <summary>The shell script of chain step <paramref name="k"/> (the same for Berth and for <c>docker run</c>).</summary>
    public static string ChainScript(int k) => string.Create(CultureInfo.InvariantCulture, $"echo \"step {k} got [$PREV]\"");

    /// <summary>What chain step <paramref name="k"/> prints, given what the step before it printed (empty for the first).</summary>
    public static string ChainStdout(int k, string previous) => string.Create(CultureInfo.InvariantCulture, $"step {k} got [{previous}]");

    public static string StepId(int k) => string.Create(CultureInfo.InvariantCulture, $"s{k}");

    /// <summary>
    /// A DAG of <paramref name="steps"/> container steps (a multiple of 100) for planning: groups of 100, each 9 chains of 11 steps
    /// linked by <c>${{ steps.prev.stdout }}</c> and one step that fans them in (<c>dependsOn</c> all 9 ends, two of them also
    /// named in an expression); each chain of the next group starts from that join (fan-out). Written in spec order. Planned
    /// in-process by (3) and run, fully cached, by the <c>dag</c> part. Every step differs from every other (chain c appends
    /// "+c" to what it got), so no step is a cache hit of another and a cached run looks up as many entries as it has steps.
    /// </summary>
    public static WorkflowSpec Dag(string name, string image, int steps)
    {
        var list = new List<StepSpec>(steps);
        for (var group = 0; group < steps / GroupSize; group++)
        {
            for (var chain = 0; chain < ChainsPerGroup; chain++)
            {
                for (var position = 0; position < ChainLength; position++)
                {
                    var previous = position > 0 ? ChainStep(group, chain, position - 1) : group > 0 ? Join(group - 1) : null;
                    var env = previous is null
                        ? new Dictionary<string, string>()
                        : new Dictionary<string, string> { ["PREV"] = $"${{{{ steps.{previous}.stdout }}}}" };
                    list.Add(Busybox(ChainStep(group, chain, position), ChainScriptOf(chain), env, cache: true, image));
                }
            }

            var ends = Enumerable.Range(0, ChainsPerGroup).Select(chain => ChainStep(group, chain, ChainLength - 1)).ToList();
            var joined = new Dictionary<string, string> { ["FIRST"] = $"${{{{ steps.{ends[0]}.stdout }}}}-${{{{ steps.{ends[^1]}.exitCode }}}}" };
            list.Add(Busybox(Join(group), "echo \"$FIRST\"", joined, cache: true, image) with { DependsOn = ends });
        }

        return new WorkflowSpec { Name = name, Concurrency = 8, Steps = list };
    }

    private static string ChainScriptOf(int chain) => string.Create(CultureInfo.InvariantCulture, $"echo \"$PREV+{chain}\"");

    private static string ChainStep(int group, int chain, int position) =>
        string.Create(CultureInfo.InvariantCulture, $"g{group}-c{chain}-s{position}");

    private static string Join(int group) => string.Create(CultureInfo.InvariantCulture, $"g{group}-join");

    private static StepSpec Busybox(string id, string script, Dictionary<string, string> env, bool cache, string image) => new()
    {
        Id = id,
        Cache = cache ? null : new StepCacheSpec { Enabled = false },
        Container = new ContainerStepSpec
        {
            Image = image,
            Command = ["/bin/busybox", "sh", "-c"],
            Args = [script],
            Env = env,
        },
    };
}
