using System.Globalization;

namespace Berth.Bench.Workflows;

/// <summary>What to measure and against which server, from <c>--name value</c> arguments (run.sh passes them from BENCH_* variables).</summary>
internal sealed record BenchOptions
{
    public static readonly IReadOnlyList<string> AllParts = ["plan", "chain", "cached", "independent", "dag"];

    /// <summary>The parts run when <c>--parts</c> is not given; <c>dag</c> fills the cache with 1,000 containers, so it is asked for by name.</summary>
    public static readonly IReadOnlyList<string> DefaultParts = ["plan", "chain", "cached", "independent"];

    /// <summary>The Berth server; null when only in-process parts run.</summary>
    public Uri? Server { get; init; }

    /// <summary>The admin token, read from the file run.sh names (<c>{data-dir}/admin.token</c>).</summary>
    public string? Token { get; init; }

    public string Image { get; init; } = "berth-bench/busybox:1";

    public string Docker { get; init; } = "docker";

    /// <summary>Measured runs per setup after one warm-up; the median counts.</summary>
    public int Repeat { get; init; } = 5;

    public IReadOnlyList<string> Parts { get; init; } = DefaultParts;

    public int ChainSteps { get; init; } = 10;

    public int CachedSteps { get; init; } = 100;

    public int PlanSteps { get; init; } = 1_000;

    public int PlanIterations { get; init; } = 500;

    /// <summary>Steps of the <c>dag</c> part's workflow (a multiple of 100).</summary>
    public int DagSteps { get; init; } = 1_000;

    /// <summary>The server's store as run.sh started it (<c>sqlite</c> or <c>postgres</c>); only printed with the figures.</summary>
    public string Store { get; init; } = "sqlite";

    /// <summary>Where the <c>dag</c> part also writes its figures as <c>key=value</c> lines (bench/scale-out reads them); none when null.</summary>
    public string? FiguresFile { get; init; }

    public bool Wants(string part) => Parts.Contains(part, StringComparer.Ordinal);

    public bool NeedsServer => Parts.Any(p => p != "plan");

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new BenchException($"expected '--name value' pairs, found '{args[i]}'; see bench/workflows/README.md");
            }

            values[args[i][2..]] = args[i + 1];
        }

        var options = new BenchOptions
        {
            Server = values.TryGetValue("server", out var server) ? new Uri(server) : null,
            Token = values.TryGetValue("token-file", out var tokenFile) ? File.ReadAllText(tokenFile).Trim() : null,
            Image = values.GetValueOrDefault("image", "berth-bench/busybox:1"),
            Docker = values.GetValueOrDefault("docker", "docker"),
            Repeat = Count(values, "repeat", 5),
            Parts = values.TryGetValue("parts", out var parts) ? parts.Split(' ', StringSplitOptions.RemoveEmptyEntries) : DefaultParts,
            ChainSteps = Count(values, "chain-steps", 10),
            CachedSteps = Count(values, "cached-steps", 100),
            PlanSteps = Hundreds(values, "plan-steps", 1_000),
            PlanIterations = Count(values, "plan-iterations", 500),
            DagSteps = Hundreds(values, "dag-steps", 1_000),
            Store = values.GetValueOrDefault("store", "sqlite"),
            FiguresFile = values.GetValueOrDefault("figures-file"),
        };
        foreach (var part in options.Parts.Where(p => !AllParts.Contains(p, StringComparer.Ordinal)))
        {
            throw new BenchException($"unknown part '{part}'; use among: {string.Join(' ', AllParts)}");
        }

        if (options.NeedsServer && (options.Server is null || options.Token is null))
        {
            throw new BenchException("the parts chain, cached, independent and dag need --server and --token-file (run.sh starts a server and passes both)");
        }

        return options;
    }

    private static int Count(Dictionary<string, string> values, string name, int fallback)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new BenchException($"--{name} must be a positive whole number, found '{text}'");
    }

    /// <summary>Steps of a generated DAG, which is built from groups of 100.</summary>
    private static int Hundreds(Dictionary<string, string> values, string name, int fallback)
    {
        var steps = Count(values, name, fallback);
        return steps % 100 == 0
            ? steps
            : throw new BenchException($"--{name} must be a multiple of 100 (the DAG is built from groups of 100 steps), found {steps}");
    }
}
