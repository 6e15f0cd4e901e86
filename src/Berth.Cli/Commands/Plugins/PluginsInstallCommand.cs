using System.CommandLine;
using Berth.Cli.Output;
using Berth.Core.Specs;

namespace Berth.Cli.Commands.Plugins;

/// <summary><c>berth plugins install DIR | GIT-URL[#ref] | FILE.tar.gz [--timeout 10m] [-o table|json|yaml]</c>: checks and installs a plugin.</summary>
internal static class PluginsInstallCommand
{
    public static Command Create(CliContext context)
    {
        var source = new Argument<string>("source") { Description = "A plugin folder, a git URL with an optional #branch-or-tag, or a .tar.gz package" };
        var timeout = CreateTimeout();
        var output = GlobalOptions.CreateOutput();
        var command = new Command("install", "Check a plugin against the contract and install it (nothing is installed when a check fails)") { source, timeout, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var what = session.ParseResult.GetRequiredValue(source);
            await using var package = await PluginPackageSource.OpenAsync(what, session.Context.CurrentDirectory, cancellationToken);
            using var client = session.CreateClient();
            client.Timeout = Parse(session.ParseResult.GetValue(timeout));
            await using var body = package.Open();
            var installed = await PluginReportWriter.WithProgressAsync(session.Console, $"checking {what}: starting an instance, calling its examples…",
                () => client.InstallPluginAsync(body, package.Description, cancellationToken));
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, installed, format);
                return ExitCodes.Ok;
            }

            PluginReportWriter.Write(session.OutConsole, installed.Report);
            session.Out.WriteLine($"plugin/{installed.Plugin.Reference} installed ({installed.Plugin.Digest})");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The <c>--timeout</c> option: how long the server may take to check (and install) the package. Default 10m.</summary>
    public static Option<string> CreateTimeout() => new("--timeout") { Description = "How long to wait for the check (a build included), like 10m", DefaultValueFactory = _ => "10m" };

    public static TimeSpan Parse(string? text) =>
        Duration.TryParse(text, out var value) && value > TimeSpan.Zero
            ? value
            : throw new CliException($"--timeout '{text}' is not a duration; expected one like 10m", ExitCodes.Usage);
}
