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

            // Agents and workflows are always counted; the other kinds only when the files hold some.
            var counts = new List<string> { Count(set.Agents.Count, "agent"), Count(set.Workflows.Count, "workflow") };
            (int Count, string Kind)[] others =
            [
                (set.ModelEndpoints.Count, "model endpoint"), (set.Topics.Count, "topic"), (set.Subscriptions.Count, "subscription"),
                (set.Plugins.Count, "plugin"),
            ];
            counts.AddRange(others.Where(k => k.Count > 0).Select(k => Count(k.Count, k.Kind)));
            session.Out.WriteLine($"valid: {string.Join(", ", counts)}");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static string Count(int count, string kind) => $"{count} {kind}{(count == 1 ? "" : "s")}";
}
