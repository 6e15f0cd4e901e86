using System.CommandLine;
using Berth.Cli.Server;

namespace Berth.Cli.Commands.Backup;

/// <summary>
/// <c>berth restore FILE</c> and <c>berth migrate --to URL</c>: offline operations on a store, run by the server executable
/// beside the CLI (which can open the stores). The data directory is <c>--data-dir</c>, else <c>$BERTH_DATA_DIR</c>, else
/// <c>~/.berth</c>; the store to restore into is <c>--store</c>, else <c>$BERTH_STORE</c>, else that directory's SQLite file.
/// </summary>
internal static class StoreToolCommands
{
    public static Command Restore(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "A backup 'berth backup' wrote" };
        var dataDir = DataDirOption();
        var store = new Option<string?>("--store") { Description = "Restore into this PostgreSQL database (default $BERTH_STORE, else the data directory's SQLite file)", HelpName = "url" };
        var command = new Command("restore", "Restore a backup into a new store (one no server has started on); the server must not be running") { file, dataDir, store };
        command.SetBody(context, (session, cancellationToken) =>
        {
            var backup = Path.GetFullPath(session.ParseResult.GetValue(file)!, session.Context.CurrentDirectory);
            List<string> arguments = ["restore", backup, "--data-dir", DataDirectory(session, dataDir)];
            if ((session.ParseResult.GetValue(store) ?? session.Context.GetEnvironmentVariable("BERTH_STORE")) is { Length: > 0 } url)
            {
                arguments.AddRange(["--store", url]);
            }

            return RunAsync(context, session, arguments, cancellationToken);
        });
        return command;
    }

    public static Command Migrate(CliContext context)
    {
        var to = new Option<string>("--to") { Description = "The empty PostgreSQL database to move to: postgres://USER:PASSWORD@HOST:5432/DATABASE", HelpName = "url", Required = true };
        var dataDir = DataDirOption();
        var command = new Command("migrate", "Move an embedded (SQLite) install to PostgreSQL, checking every table; stop its server first") { to, dataDir };
        command.SetBody(context, (session, cancellationToken) =>
            RunAsync(context, session, ["migrate", "--data-dir", DataDirectory(session, dataDir), "--to", session.ParseResult.GetValue(to)!], cancellationToken));
        return command;
    }

    private static Option<string?> DataDirOption() =>
        new("--data-dir") { Description = "The install's data directory (default $BERTH_DATA_DIR, else ~/.berth)", HelpName = "dir" };

    private static string DataDirectory(CliSession session, Option<string?> option) =>
        Path.GetFullPath(
            session.ParseResult.GetValue(option)
            ?? session.Context.GetEnvironmentVariable("BERTH_DATA_DIR")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".berth"),
            session.Context.CurrentDirectory);

    private static async Task<int> RunAsync(CliContext context, CliSession session, List<string> arguments, CancellationToken cancellationToken)
    {
        var server = ServerExecutable.Find(context.InstallDirectory, context.GetEnvironmentVariable);
        return await ChildServerProcess.RunAsync(server.CommandLine(arguments), session.Console, cancellationToken);
    }
}
