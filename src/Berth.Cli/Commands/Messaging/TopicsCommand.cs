using System.CommandLine;

namespace Berth.Cli.Commands.Messaging;

/// <summary><c>berth topics ls|create|rm</c>: durable topics (also applied with <c>kind: Topic</c> documents).</summary>
internal static class TopicsCommand
{
    public static Command Create(CliContext context) =>
        new("topics", "List, create and remove topics")
        {
            TopicsListCommand.Create(context),
            TopicsCreateCommand.Create(context),
            TopicsRemoveCommand.Create(context),
        };
}
