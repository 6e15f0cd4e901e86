using System.CommandLine;
using Berth.Cli.Commands;

namespace Berth.Cli.Completion;

/// <summary><c>berth completion bash|zsh|fish</c>: prints the shell's completion script on stdout.</summary>
internal static class CompletionCommand
{
    public static Command Create(CliContext context)
    {
        var shell = new Argument<string>("shell") { Description = "The shell to complete in: bash, zsh or fish" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var command = new Command("completion", "Print a shell completion script (source <(berth completion bash))") { shell };
        command.SetBody(context, (session, _) =>
        {
            session.Out.Write(session.ParseResult.GetRequiredValue(shell) switch
            {
                "zsh" => CompletionScripts.Zsh,
                "fish" => CompletionScripts.Fish,
                _ => CompletionScripts.Bash,
            });
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
