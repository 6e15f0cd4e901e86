using System.CommandLine;

namespace Berth.Cli.Commands.Workflows;

/// <summary><c>berth workflows ls|get|rm</c>: the applied workflows (apply them with <c>berth apply -f</c>, run them with <c>berth run</c>).</summary>
internal static class WorkflowsCommand
{
    public static Command Create(CliContext context) =>
        new("workflows", "List, show and remove applied workflows")
        {
            WorkflowsListCommand.Create(context),
            WorkflowsGetCommand.Create(context),
            WorkflowsRemoveCommand.Create(context),
        };
}
