using System.CommandLine;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Plugins;

/// <summary><c>berth plugins check DIR | GIT-URL[#ref] | FILE.tar.gz</c>: the contract check without installing; exit 5 when it fails.</summary>
internal static class PluginsCheckCommand
{
    public static Command Create(CliContext context)
    {
        var source = new Argument<string>("source") { Description = "A plugin folder, a git URL with an optional #branch-or-tag, or a .tar.gz package" };
        var timeout = PluginsInstallCommand.CreateTimeout();
        var output = GlobalOptions.CreateOutput();
        var command = new Command("check", "Check a plugin against the contract without installing it") { source, timeout, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var what = session.ParseResult.GetRequiredValue(source);
            await using var package = await PluginPackageSource.OpenAsync(what, session.Context.CurrentDirectory, cancellationToken);
            using var client = session.CreateClient();
            client.Timeout = PluginsInstallCommand.Parse(session.ParseResult.GetValue(timeout));
            await using var body = package.Open();
            var report = await PluginReportWriter.WithProgressAsync(session.Console, $"checking {what}: starting an instance, calling its examples…",
                () => client.CheckPluginAsync(body, cancellationToken));
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, report, format);
            }
            else
            {
                PluginReportWriter.Write(session.OutConsole, report);
                session.Out.WriteLine(report.Passed ? $"{report.Id}@{report.Version} keeps the plugin contract" : $"the check failed at '{report.FirstFailure?.Name}'");
            }

            return report.Passed ? ExitCodes.Ok : ExitCodes.Invalid;
        });
        return command;
    }
}
