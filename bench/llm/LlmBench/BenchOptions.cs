using System.Globalization;
namespace Berth.Bench.Llm;

/// <summary>What <c>llm-bench run</c> measures and against which server, from <c>--name value</c> arguments (run.sh passes them from BENCH_* variables).</summary>
internal sealed record BenchOptions
{
    private const int MaxCount = 1_000_000;

    /// <summary>The Berth server's root URL.</summary>
    public required Uri Server { get; init; }

    /// <summary>The admin token, read from the file run.sh names (<c>{data-dir}/admin.token</c>).</summary>
    public required string Token { get; init; }

    /// <summary>The fake provider's OpenAI base URL (<c>http://127.0.0.1:PORT/v1</c>), which the endpoint points at and direct calls go to.</summary>
    public required Uri Provider { get; init; }

    /// <summary>The store the server was started with; only a label for the figures.</summary>
    public string Store { get; init; } = "sqlite";

    /// <summary>Timed calls of each kind (chat completion, stream) each way (direct, through Berth), one at a time.</summary>
    public int Calls { get; init; } = 2000;

    /// <summary>Warm-up before the latency calls (every kind each way, one at a time) and before each throughput run (full load).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Measured period of each throughput run.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Concurrent callers of the throughput runs, each with one call in flight at a time.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Processes whose CPU time is reported for the throughput runs (the server, the provider), by label.</summary>
    public IReadOnlyDictionary<string, int> Watch { get; init; } = new Dictionary<string, int>();

    /// <summary>Where the result rows (tab-separated) are appended for run.sh's tables; null for none.</summary>
    public string? ResultFile { get; init; }

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var (values, watch) = Pairs(args);
        var server = Url(values, "server", "the Berth server's URL (run.sh starts a server and passes it)");
        var token = values.TryGetValue("token-file", out var tokenFile) && File.Exists(tokenFile)
            ? File.ReadAllText(tokenFile).Trim()
            : throw new BenchException("--token-file must name the server's admin.token (run.sh passes it)");
        var options = new BenchOptions
        {
            Server = server,
            Token = token,
            Provider = Url(values, "provider", "the fake provider's OpenAI base URL, http://127.0.0.1:PORT/v1 (run.sh starts 'llm-bench provider' and passes it)"),
            Store = values.GetValueOrDefault("store", "sqlite"),
            Calls = Count(values, "calls", 2000),
            Warmup = Span(values, "warmup", TimeSpan.FromSeconds(5)),
            Duration = Span(values, "duration", TimeSpan.FromSeconds(10)),
            Concurrency = Count(values, "concurrency", 16),
            Watch = watch,
            ResultFile = values.GetValueOrDefault("result-file"),
        };
        return options.Duration > TimeSpan.Zero ? options : throw new BenchException("--duration must be longer than 0s");
    }

    /// <summary>The <c>--name value</c> pairs, and the repeatable <c>--watch label=pid</c> apart.</summary>
    public static (Dictionary<string, string> Values, Dictionary<string, int> Watch) Pairs(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var watch = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new BenchException($"expected '--name value' pairs, found '{args[i]}'; see bench/llm/README.md");
            }

            if (args[i] == "--watch")
            {
                var parts = args[i + 1].Split('=', 2);
                if (parts.Length != 2 || parts[0].Length == 0 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
                {
                    throw new BenchException($"--watch takes label=pid, found '{args[i + 1]}'");
                }

                watch[parts[0]] = pid;
                continue;
            }

            values[args[i][2..]] = args[i + 1];
        }

        return (values, watch);
    }

    private static Uri Url(Dictionary<string, string> values, string name, string what) =>
        values.TryGetValue(name, out var text) && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new BenchException($"--{name} must be {what}");

    private static int Count(Dictionary<string, string> values, string name, int fallback)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= MaxCount
            ? value
            : throw new BenchException($"--{name} must be a whole number from 1 to {MaxCount}, found '{text}'");
    }

    private static TimeSpan Span(Dictionary<string, string> values, string name, TimeSpan fallback)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return Berth.Core.Specs.Duration.TryParse(text, out var value)
            ? value
            : throw new BenchException($"--{name} must be a duration like 10s or 1m, found '{text}'");
    }
}
