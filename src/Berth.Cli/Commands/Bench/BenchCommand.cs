using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using System.Text.Json;
using Berth.Cli.Output;
using Berth.Client;
using Berth.Client.Errors;
using Berth.Core.Specs;
using Berth.Core.Specs.Yaml;
using Spectre.Console;

namespace Berth.Cli.Commands.Bench;

/// <summary>
/// <c>berth bench AGENT [PATH] [--requests N | --duration 30s] [--concurrency C] [--method M] [-d BODY] [--compare AGENT2]
/// [--cold-start] [-o table|json|yaml]</c>: load through Berth's proxy, reported as latency percentiles, throughput, success
/// rate, tokens per request, the agent's CPU and memory, (with <c>--cold-start</c>) the first request after a restart, and what the
/// agent's own LLM calls through Berth's gateway used meanwhile.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context) => Create(context, ResourceSamplers.Default);

    /// <summary>The verb, sampling CPU and memory with the sampler <paramref name="samplers"/> makes for the session's client.</summary>
    internal static Command Create(CliContext context, Func<BerthClient, IAgentResourceSampler> samplers)
    {
        var agent = new Argument<string>("agent") { Description = "The agent to load" };
        var path = new Argument<string>("path") { Description = "Path on the agent, with any query string", DefaultValueFactory = _ => "/" };
        var requests = new Option<int?>("--requests", "-n") { Description = $"Send this many requests (default {BenchSettings.DefaultRequests}; at most {BenchSettings.MaxRequests:N0})", HelpName = "N" };
        var duration = new Option<TimeSpan?>("--duration")
        {
            Description = $"Send for this long instead, like 30s (at most {Duration.Format(BenchSettings.MaxDuration)})",
            HelpName = "duration",
            CustomParser = ParseDuration,
        };
        var concurrency = new Option<int>("--concurrency", "-c")
        {
            Description = $"Requests in flight at once (default {BenchSettings.DefaultConcurrency}; 1 to {BenchSettings.MaxConcurrency})",
            DefaultValueFactory = _ => BenchSettings.DefaultConcurrency,
            HelpName = "C",
        };
        var method = new Option<string?>("--method", "-X") { Description = "HTTP method (default GET, or POST with --data)", HelpName = "METHOD" };
        var data = new Option<string?>("--data", "-d") { Description = "Request body: text, @FILE, or @- for stdin; JSON when it starts with { or [", HelpName = "BODY" };
        var compare = new Option<string?>("--compare") { Description = "Run the same bench against this agent too and print both with the ratio", HelpName = "AGENT2" };
        var coldStart = new Option<bool>("--cold-start")
        {
            Description = "Restart the agent first (operator role) and time the first request once it is back, against the warm run",
        };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("bench", "Load an agent through Berth's proxy: latency percentiles, throughput, success rate, tokens, CPU and memory")
        {
            agent, path, requests, duration, concurrency, method, data, compare, coldStart, output,
        };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var result = session.ParseResult;
            var settings = await SettingsAsync(session, result, path, requests, duration, concurrency, method, data, coldStart, cancellationToken);
            var first = result.GetRequiredValue(agent);
            var second = result.GetValue(compare);
            if (second == first)
            {
                throw new CliException($"--compare needs another agent than '{first}'", ExitCodes.Usage);
            }

            var format = result.GetValue(output);
            using var client = session.CreateClient();
            await client.GetAgentAsync(first, cancellationToken);
            if (second is not null)
            {
                await client.GetAgentAsync(second, cancellationToken);
            }

            var sampler = samplers(client);
            var progress = format == OutputFormat.Table && session.Console.Profile.Capabilities.Interactive && session.OutConsole.Profile.Capabilities.Interactive;
            var baseline = await RunAsync(session, client, sampler, first, settings, progress, cancellationToken);
            var candidate = second is null ? null : await RunAsync(session, client, sampler, second, settings, progress, cancellationToken);
            Write(session, format, baseline, candidate);
            var failed = new[] { baseline, candidate }.OfType<BenchReport>().Where(r => r.Succeeded == 0).ToList();
            foreach (var report in failed)
            {
                var seen = report.StatusCodes.Select(s => $"{s.Key} ×{s.Value}").Concat(report.Errors.Select(e => $"{e.Key} ×{e.Value}"));
                session.Console.MarkupLineInterpolated($"[red]error:[/] no request to agent/{report.Agent} succeeded ({string.Join(", ", seen)})");
            }

            return failed.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static async Task<BenchSettings> SettingsAsync(
        CliSession session, ParseResult result, Argument<string> path, Option<int?> requests, Option<TimeSpan?> duration, Option<int> concurrency,
        Option<string?> method, Option<string?> data, Option<bool> coldStart, CancellationToken cancellationToken)
    {
        var count = result.GetValue(requests);
        var time = result.GetValue(duration);
        if (count is not null && time is not null)
        {
            throw new CliException("pass --requests or --duration, not both", ExitCodes.Usage);
        }

        if (count is < 1 or > BenchSettings.MaxRequests)
        {
            throw new CliException($"--requests must be between 1 and {BenchSettings.MaxRequests:N0}; got {count}", ExitCodes.Usage);
        }

        if (time is { } span && (span <= TimeSpan.Zero || span > BenchSettings.MaxDuration))
        {
            throw new CliException($"--duration must be more than 0s and at most {Duration.Format(BenchSettings.MaxDuration)}; got {Duration.Format(span)}", ExitCodes.Usage);
        }

        var parallel = result.GetValue(concurrency);
        if (parallel is < 1 or > BenchSettings.MaxConcurrency)
        {
            throw new CliException($"--concurrency must be between 1 and {BenchSettings.MaxConcurrency}; got {parallel}", ExitCodes.Usage);
        }

        var target = result.GetRequiredValue(path);
        target = target.StartsWith('/') ? target : "/" + target;
        if (!Uri.TryCreate(target, UriKind.Relative, out _) || target.StartsWith("//", StringComparison.Ordinal))
        {
            throw new CliException($"PATH must be a path on the agent like /v1/chat/completions; got '{result.GetRequiredValue(path)}'", ExitCodes.Usage);
        }

        var body = await CallCommand.ReadBodyAsync(session, result.GetValue(data), cancellationToken);
        var bytes = body is null ? null : Encoding.UTF8.GetBytes(body);
        if (bytes is { Length: > BenchSettings.MaxBodyBytes })
        {
            throw new CliException($"--data is {bytes.Length:N0} bytes; a bench body may be at most {BenchSettings.MaxBodyBytes:N0} bytes", ExitCodes.Usage);
        }

        var verb = (result.GetValue(method) ?? (body is null ? "GET" : "POST")).ToUpperInvariant();
        if (verb.Length is 0 or > 20 || !verb.All(char.IsAsciiLetterUpper))
        {
            throw new CliException($"--method must be an HTTP method like GET or POST; got '{result.GetValue(method)}'", ExitCodes.Usage);
        }

        return new BenchSettings
        {
            Path = target,
            Method = verb,
            Body = bytes,
            ContentType = body is null ? null : CallCommand.LooksLikeJson(body) ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
            Requests = time is null ? count ?? BenchSettings.DefaultRequests : null,
            Duration = time,
            Concurrency = parallel,
            ColdStart = result.GetValue(coldStart),
        };
    }

    private static async Task<BenchReport> RunAsync(
        CliSession session, BerthClient client, IAgentResourceSampler sampler, string agent, BenchSettings settings, bool progress, CancellationToken cancellationToken)
    {
        var since = session.Context.Time.GetUtcNow();
        var report = await LoadAsync(session, new BenchRunner(client, sampler, session.Context.Time), agent, settings, progress, cancellationToken);
        try
        {
            return report with { Gateway = await GatewayUsageReader.ReadAsync(client, agent, since, session.Context.Time, cancellationToken) };
        }
        catch (Exception exception) when (exception is HttpRequestException or BerthApiException)
        {
            // The agent's LLM usage is a side figure: the load's figures are reported without it.
            session.Console.MarkupLineInterpolated($"[yellow]note:[/] agent/{agent}'s LLM calls through the gateway could not be read: {exception.Message}");
            return report;
        }
    }

    private static async Task<BenchReport> LoadAsync(
        CliSession session, BenchRunner runner, string agent, BenchSettings settings, bool progress, CancellationToken cancellationToken)
    {
        if (!progress)
        {
            return await runner.RunAsync(agent, settings, cancellationToken);
        }

        return await session.Console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progressContext =>
            {
                var total = settings.Requests is { } n ? n : settings.Duration!.Value.TotalSeconds;
                var task = progressContext.AddTask($"agent/{agent}", maxValue: total);
                var run = runner.RunAsync(agent, settings, cancellationToken);
                while (!run.IsCompleted)
                {
                    task.Value = settings.Requests is null ? Math.Min(runner.Elapsed.TotalSeconds, total) : runner.Completed;
                    task.Description = $"agent/{agent} {runner.Phase}: {runner.Completed} done, {runner.Failed} failed";
                    await Task.WhenAny(run, Task.Delay(TimeSpan.FromMilliseconds(100), session.Context.Time, cancellationToken));
                }

                task.Value = total;
                return await run;
            });
    }

    private static void Write(CliSession session, OutputFormat format, BenchReport baseline, BenchReport? candidate)
    {
        if (format == OutputFormat.Table)
        {
            BenchTable.Write(session.OutConsole, baseline);
            if (candidate is not null)
            {
                BenchTable.Write(session.OutConsole, candidate);
                BenchTable.WriteComparison(session.OutConsole, new BenchComparison(baseline, candidate, BenchRatio.Of(baseline, candidate)));
            }

            return;
        }

        var comparison = candidate is null ? null : new BenchComparison(baseline, candidate, BenchRatio.Of(baseline, candidate));
        if (format == OutputFormat.Yaml)
        {
            session.Out.Write(JsonYamlWriter.Write(comparison is null
                ? JsonSerializer.SerializeToNode(baseline, BenchJson.Default.BenchReport)
                : JsonSerializer.SerializeToNode(comparison, BenchJson.Default.BenchComparison)));
            return;
        }

        session.Out.WriteLine(comparison is null
            ? JsonSerializer.Serialize(baseline, BenchJson.Default.BenchReport)
            : JsonSerializer.Serialize(comparison, BenchJson.Default.BenchComparison));
    }

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Duration.TryParse(text, out var value))
        {
            return value;
        }

        result.AddError($"'{text}' is not a duration; write it like 30s, 2m or 1h30m");
        return null;
    }
}
