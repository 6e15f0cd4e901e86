using System.CommandLine;

namespace Berth.Cli.Commands.Llm;

/// <summary><c>berth model-endpoints ls|get|rm</c>: the model providers the LLM gateway serves (applied with <c>kind: ModelEndpoint</c> documents).</summary>
internal static class ModelEndpointsCommand
{
    public static Command Create(CliContext context) =>
        new("model-endpoints", "List, show and remove model endpoints of the LLM gateway")
        {
            ModelEndpointsListCommand.Create(context),
            ModelEndpointsGetCommand.Create(context),
            ModelEndpointsRemoveCommand.Create(context),
        };
}
