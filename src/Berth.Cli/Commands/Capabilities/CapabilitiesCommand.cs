using System.CommandLine;

namespace Berth.Cli.Commands.Capabilities;

/// <summary><c>berth capabilities ls|describe</c>: what agents and installed plugins can do, and who can do it now (call one with <c>berth call --capability</c>).</summary>
internal static class CapabilitiesCommand
{
    public static Command Create(CliContext context) =>
        new("capabilities", "List capabilities and their providers with health")
        {
            CapabilitiesListCommand.Create(context),
            CapabilitiesDescribeCommand.Create(context),
        };
}
