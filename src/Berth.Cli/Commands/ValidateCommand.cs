using System.CommandLine;
using Berth.Cli.Specs;

namespace Berth.Cli.Commands;

/// <summary><c>berth validate -f FILE</c>: checks spec files without contacting the server.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var files = FileOption.Create();
        var command = new Command("validate", "Check spec files for errors without contacting the server") { files };
        command.SetBody(context, (session, _) =>
        {
            var set = SpecFiles.Read(session.ParseResult.GetRequiredValue(files), session.Context);
            if (!set.IsValid)
            {
                SpecFiles.WriteErrors(session.Console, set);
                return Task.FromResult(ExitCodes.Invalid);
            }

            var plugins = set.Plugins.Count == 0 ? "" : $", {set.Plugins.Count} plugin{(set.Plugins.Count == 1 ? "" : "s")}";
            session.Out.WriteLine($"valid: {set.Agents.Count} agent{(set.Agents.Count == 1 ? "" : "s")}, {set.Workflows.Count} workflow{(set.Workflows.Count == 1 ? "" : "s")}{plugins}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
