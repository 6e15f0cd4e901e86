using System.CommandLine;
using Berth.Cli.Commands;

namespace Berth.Cli.Server;

/// <summary>
/// <c>berth server</c>: runs the server executable installed beside the CLI (<see cref="ServerExecutable"/>) with the options given.
/// The CLI is a Native AOT binary without ASP.NET, so the server is a separate JIT app; the real process replaces itself with it
/// (same PID, signals and exit code), so scripts, systemd units and <c>kill $(cat server.pid)</c> see one process as before.
/// </summary>
internal static class ServerCommand
{
    public static Command Create(CliContext context)
    {
        var urls = new Option<string?>("--urls") { Description = "Address to listen on (default http://127.0.0.1:2378)", HelpName = "url" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Directory for the store and agent files (default ~/.berth)", HelpName = "dir" };
        var runtime = new Option<string?>("--runtime") { Description = "Runtime driver: auto, docker, swarm or process (default auto)", HelpName = "name" };
        runtime.AcceptOnlyFromAmong("auto", "docker", "swarm", "process");
        var logFormat = new Option<string?>("--log-format") { Description = "Console log format: text or json (one object per line, with trace ids)", HelpName = "format" };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var command = new Command("server", "Run the Berth server in the foreground")
        {
            urls, dataDir, runtime, logFormat,
        };

        // Any other --Key value pairs pass through as ASP.NET configuration (for example --Logging:LogLevel:Default Debug).
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var arguments = new List<string>();
            void Pass(string name, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    arguments.Add(name);
                    arguments.Add(value);
                }
            }

            Pass("--urls", session.ParseResult.GetValue(urls));
            Pass("--data-dir", session.ParseResult.GetValue(dataDir));
            Pass("--runtime", session.ParseResult.GetValue(runtime));
            Pass("--log-format", session.ParseResult.GetValue(logFormat));
            arguments.AddRange(session.ParseResult.UnmatchedTokens);

            var server = ServerExecutable.Find(context.InstallDirectory, context.GetEnvironmentVariable);
            var commandLine = server.CommandLine(arguments);
            if (context.ServerLaunch == ServerLaunch.ReplaceProcess)
            {
                try
                {
                    NativeProcess.Replace(commandLine);
                }
                catch (System.ComponentModel.Win32Exception exception)
                {
                    throw new CliException($"could not run {commandLine[0]}: {exception.Message}", ExitCodes.Failure);
                }
            }

            return await ChildServerProcess.RunAsync(commandLine, session.Console, cancellationToken);
        });
        return command;
    }
}
