using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth secrets set|ls|rm</c>: encrypted values that agents reference as <c>${secret:NAME}</c>.</summary>
internal static class SecretsCommand
{
    public static Command Create(CliContext context) =>
        new("secrets", "Manage encrypted secrets that agents reference as ${secret:NAME}")
        {
            SecretsSetCommand.Create(context),
            SecretsListCommand.Create(context),
            SecretsRemoveCommand.Create(context),
        };
}
