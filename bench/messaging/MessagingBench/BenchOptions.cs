using System.Globalization;
using Berth.Client;

namespace Berth.Bench.Messaging;

/// <summary>What to run and against which server, from <c>--name value</c> arguments (run.sh passes them from BENCH_* variables).</summary>
internal sealed record BenchOptions
{
    private const int MaxCount = 1000;

    public required Uri Server { get; init; }

    /// <summary>The admin token, read from the file run.sh names (<c>{data-dir}/admin.token</c>).</summary>
    public required string Token { get; init; }

    /// <summary>The backend the server was started with; only a label for the figures.</summary>
    public string Backend { get; init; } = "embedded";

    /// <summary>Concurrent publishers, each with one publish in flight at a time.</summary>
    public int Publishers { get; init; } = 16;

    /// <summary>Concurrent consumers, each with one receive or ack in flight at a time.</summary>
    public int Consumers { get; init; } = 1;

    /// <summary>The most messages one receive leases (<c>max</c>).</summary>
    public int Batch { get; init; } = 100;

    /// <summary>How long one receive waits for its first message (<c>wait</c>).</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The most messages published and not yet acked; publishers wait while it is reached.</summary>
    public int Window { get; init; } = 1000;

    /// <summary>Bytes of padding in each body, beside the sequence number and the publish timestamp.</summary>
    public int Padding { get; init; } = 200;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long after the last publish the consumers may take to ack what is left before the rest counts as lost.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Processes whose CPU time is reported for the measured period (the server, RabbitMQ's beam.smp), by label.</summary>
    public IReadOnlyDictionary<string, int> Watch { get; init; } = new Dictionary<string, int>();

    /// <summary>Where the one-line result (tab-separated) is appended for run.sh's table; null for none.</summary>
    public string? ResultFile { get; init; }

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var watch = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new BenchException($"expected '--name value' pairs, found '{args[i]}'; see bench/messaging/README.md");
            }

            if (args[i] == "--watch")
            {
                // label=pid, repeatable
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

        var server = values.TryGetValue("server", out var address) && Uri.TryCreate(address, UriKind.Absolute, out var uri)
            ? uri
            : throw new BenchException("--server must be the server's absolute URL (run.sh starts a server and passes it)");
        var token = values.TryGetValue("token-file", out var tokenFile) && File.Exists(tokenFile)
            ? File.ReadAllText(tokenFile).Trim()
            : throw new BenchException("--token-file must name the server's admin.token (run.sh passes it)");
        var options = new BenchOptions
        {
            Server = server,
            Token = token,
            Backend = values.GetValueOrDefault("backend", "embedded"),
            Publishers = Count(values, "publishers", 16, MaxCount),
            Consumers = Count(values, "consumers", 1, MaxCount),
            Batch = Count(values, "batch", 100, BerthClient.MaxReceive),
            Wait = Span(values, "wait", TimeSpan.FromSeconds(1)),
            Window = Count(values, "window", 1000, 1_000_000),
            Padding = Count(values, "padding", 200, 200_000, allowZero: true),
            Warmup = Span(values, "warmup", TimeSpan.FromSeconds(5)),
            Duration = Span(values, "duration", TimeSpan.FromSeconds(10)),
            Drain = Span(values, "drain", TimeSpan.FromSeconds(60)),
            Watch = watch,
            ResultFile = values.GetValueOrDefault("result-file"),
        };
        if (options.Duration <= TimeSpan.Zero)
        {
            throw new BenchException("--duration must be longer than 0s");
        }

        if (options.Wait > BerthClient.MaxReceiveWait)
        {
            throw new BenchException($"--wait must be at most {Berth.Core.Specs.Duration.Format(BerthClient.MaxReceiveWait)}");
        }

        return options;
    }

    private static int Count(Dictionary<string, string> values, string name, int fallback, int max, bool allowZero = false)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= max && (value > 0 || allowZero)
            ? value
            : throw new BenchException($"--{name} must be a whole number from {(allowZero ? 0 : 1)} to {max}, found '{text}'");
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
