using System.CommandLine;
using Berth.Cli.Output;
using Berth.Client;
using Berth.Core.Runtime;
using Spectre.Console;

namespace Berth.Cli.Commands.Stats;

/// <summary>
/// <c>berth stats [NAME | --all] [--watch]</c>: CPU, memory and (where the runtime can tell) network of each running instance,
/// as a table, JSON or YAML. With <c>--watch</c> it samples again every <c>--interval</c> until Ctrl+C, redrawing the table in place
/// on a terminal (one table after another when output is piped).
/// </summary>
internal static class StatsCommand
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    public static Command Create(CliContext context)
    {
        var name = new Argument<string?>("name") { Description = "The agent's name (every agent when left out)", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Every agent (the default without a name)" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Sample again every --interval until Ctrl+C" };
        var interval = GlobalOptions.CreateDuration("--interval", DefaultInterval, "Time between samples with --watch, at least 1s");
        var output = GlobalOptions.CreateOutput();
        var command = new Command("stats", "Show CPU, memory and network of running agent instances") { name, all, watch, interval, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var agent = session.ParseResult.GetValue(name);
            if (agent is not null && session.ParseResult.GetValue(all))
            {
                throw new CliException("pass an agent name or --all, not both", ExitCodes.Usage);
            }

            var every = session.ParseResult.GetValue(interval);
            if (every < MinInterval)
            {
                throw new CliException("--interval must be at least 1s: each sample takes about half a second", ExitCodes.Usage);
            }

            var format = session.ParseResult.GetValue(output);
            using var client = session.CreateClient();
            if (!session.ParseResult.GetValue(watch))
            {
                Write(session, await SampleAsync(client, agent, cancellationToken), format, agent is not null);
                return ExitCodes.Ok;
            }

            try
            {
                await WatchAsync(session, client, agent, format, every, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how a watch ends; it is not a failure.
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<StatsOverview> SampleAsync(BerthClient client, string? agent, CancellationToken cancellationToken) =>
        agent is null
            ? await client.GetAllStatsAsync(cancellationToken)
            : new StatsOverview([await client.GetAgentStatsAsync(agent, cancellationToken)]);

    private static async Task WatchAsync(CliSession session, BerthClient client, string? agent, OutputFormat format, TimeSpan every, CancellationToken cancellationToken)
    {
        var time = session.Context.Time;
        var live = format == OutputFormat.Table && session.OutConsole.Profile.Capabilities is { Interactive: true, Ansi: true };
        if (!live)
        {
            while (true)
            {
                Write(session, await SampleAsync(client, agent, cancellationToken), format, agent is not null);
                await session.Out.FlushAsync(cancellationToken);
                await Task.Delay(every, time, cancellationToken);
            }
        }

        var first = await SampleAsync(client, agent, cancellationToken);
        await session.OutConsole.Live(StatsTable.Build(first, time.GetUtcNow())).AutoClear(false).StartAsync(async display =>
        {
            while (true)
            {
                await Task.Delay(every, time, cancellationToken);
                display.UpdateTarget(StatsTable.Build(await SampleAsync(client, agent, cancellationToken), time.GetUtcNow()));
            }
        });
    }

    private static void Write(CliSession session, StatsOverview stats, OutputFormat format, bool oneAgent)
    {
        if (format != OutputFormat.Table)
        {
            // one agent named: the answer of its route; otherwise that of /api/v1/stats, however many agents there are
            if (oneAgent)
            {
                DataWriter.Write(session.Out, stats.Agents[0], format);
            }
            else
            {
                DataWriter.Write(session.Out, stats, format);
            }

            return;
        }

        if (stats.Agents.All(a => a.Instances.Count == 0))
        {
            session.Console.WriteLine(oneAgent
                ? $"agent '{stats.Agents[0].Agent}' has no running instance; start it with 'berth start {stats.Agents[0].Agent}'"
                : "no running instances; list agents with 'berth get agents'");
            return;
        }

        session.OutConsole.Write(StatsTable.Build(stats, null));
    }
}
