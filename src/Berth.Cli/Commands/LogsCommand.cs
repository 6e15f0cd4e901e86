using System.CommandLine;
using System.Globalization;
using Berth.Client.Logs;
using Berth.Core.Runtime;
using Berth.Core.Specs;

namespace Berth.Cli.Commands;

/// <summary><c>berth logs NAME [-f] [--tail N] [--since 10m]</c>: prints an agent's log lines, stderr lines marked with <c>!</c>.</summary>
internal static class LogsCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The agent's name" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until Ctrl+C" };
        var tail = new Option<int?>("--tail") { Description = "Only the last N lines of each instance", HelpName = "N" };
        var since = new Option<string?>("--since") { Description = "Only lines since a duration ago (10m) or an ISO 8601 time", HelpName = "when" };
        var command = new Command("logs", "Print an agent's log lines") { name, follow, tail, since };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var options = new LogStreamOptions
            {
                Follow = session.ParseResult.GetValue(follow),
                Tail = session.ParseResult.GetValue(tail) is { } lines
                    ? lines >= 0 ? lines : throw new CliException("--tail must be 0 or more", ExitCodes.Usage)
                    : null,
                Since = SinceOption.Check(session.ParseResult.GetValue(since)),
            };

            using var client = session.CreateClient();
            var agent = await client.GetAgentAsync(session.ParseResult.GetRequiredValue(name), cancellationToken);
            var prefixed = agent.Spec.Replicas > 1 || agent.Instances.Count > 1;
            try
            {
                await foreach (var entry in client.StreamLogsAsync(agent.Name, options, cancellationToken))
                {
                    await session.Out.WriteLineAsync(Format(entry, prefixed).AsMemory(), cancellationToken);
                    await session.Out.FlushAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (options.Follow && cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how a follow ends; it is not a failure.
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>instance | line</c> for stdout and <c>instance ! line</c> for stderr; without the instance when there is only one.</summary>
    internal static string Format(LogEntry entry, bool prefixed)
    {
        var marker = entry.Source == LogSource.Stderr ? "!" : "|";
        return prefixed ? $"{entry.InstanceId} {marker} {entry.Line}"
            : entry.Source == LogSource.Stderr ? $"! {entry.Line}" : entry.Line;
    }
}
