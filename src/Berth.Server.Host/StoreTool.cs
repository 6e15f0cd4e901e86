using Berth.Storage.Transfer;
using Spectre.Console;

namespace Berth.Server.Host;

/// <summary>
/// <c>berth-server restore FILE --data-dir DIR [--store URL]</c> and <c>berth-server migrate --data-dir DIR --to URL</c>: the
/// offline store operations behind <c>berth restore</c> and <c>berth migrate</c>, run here because the AOT CLI cannot open
/// the stores. Prints what the target holds, table by table, and exits 0, or prints why not and exits 1.
/// </summary>
internal static class StoreTool
{
    public static bool Handles(string[] args) => args is ["restore", ..] or ["migrate", ..];

    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var options = Options(args[1..], out var positional);
        if (!options.TryGetValue("--data-dir", out var dataDirectory))
        {
            console.MarkupLine("[red]error:[/] --data-dir is required");
            return ServerHost.Failure;
        }

        try
        {
            IReadOnlyList<TableSummary> tables;
            if (args[0] == "restore")
            {
                if (positional is not [var file])
                {
                    console.MarkupLine("[red]error:[/] restore takes one FILE, a backup 'berth backup' wrote");
                    return ServerHost.Failure;
                }

                tables = await StoreCommands.RestoreAsync(file, dataDirectory, options.GetValueOrDefault("--store"), cancellationToken);
            }
            else
            {
                if (!options.TryGetValue("--to", out var to))
                {
                    console.MarkupLine("[red]error:[/] migrate needs --to postgres://USER:PASSWORD@HOST:5432/DATABASE");
                    return ServerHost.Failure;
                }

                tables = await StoreCommands.MigrateAsync(dataDirectory, to, cancellationToken);
            }

            Describe(console, tables);
            return ServerHost.Ok;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException or UnauthorizedAccessException
                                       or System.Data.Common.DbException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ServerHost.Failure;
        }
    }

    private static void Describe(IAnsiConsole console, IReadOnlyList<TableSummary> tables)
    {
        var table = new Table().AddColumns("table", "rows", "sha-256");
        foreach (var summary in tables.Where(t => t.Rows > 0))
        {
            table.AddRow(summary.Table, summary.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture), summary.Checksum[..16]);
        }

        console.Write(table);
        console.WriteLine($"{tables.Count} tables, {tables.Sum(t => t.Rows)} rows, each checked against what was copied.");
        console.WriteLine("Start the servers of this store with the secrets key it was written with (BERTH_SECRETS_KEY, or secrets.key in the data directory).");
    }

    private static Dictionary<string, string> Options(string[] args, out List<string> positional)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        positional = [];
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                options[args[i]] = args[++i];
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        return options;
    }
}
