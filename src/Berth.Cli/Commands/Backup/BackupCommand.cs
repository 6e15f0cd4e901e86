using System.CommandLine;
using Berth.Core.Security;
using Spectre.Console;

namespace Berth.Cli.Commands.Backup;

/// <summary>
/// <c>berth backup FILE</c>: a consistent snapshot of the server's whole store, taken while it serves, written to a new file
/// readable by its owner only (it holds encrypted secrets and token hashes; keep the secrets key apart from it).
/// </summary>
internal static class BackupCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The new file to write the backup to (never overwritten)" };
        var command = new Command("backup", "Write a consistent snapshot of the server's whole store to FILE, while it serves (admin token)") { file };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var path = Path.GetFullPath(session.ParseResult.GetValue(file)!, session.Context.CurrentDirectory);
            if (File.Exists(path))
            {
                throw new CliException($"{path} already exists; a backup never overwrites a file: name a new one", ExitCodes.Usage);
            }

            using var client = session.CreateClient();
            string summary;
            try
            {
                await using (var output = new FileStream(path, OwnerOnly.Write(FileMode.CreateNew)))
                {
                    summary = await client.BackupAsync(output, cancellationToken);
                }
            }
            catch
            {
                File.Delete(path);
                throw;
            }

            session.Console.WriteLine($"wrote a backup ({summary}) to {path}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
