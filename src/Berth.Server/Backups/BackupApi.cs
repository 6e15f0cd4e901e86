using Berth.Core.Security;
using Berth.Server.Hosting;
using Berth.Server.Security;
using Berth.Storage.Sql;
using Berth.Storage.Transfer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Berth.Server.Backups;

/// <summary>
/// <c>POST /api/v1/backup</c> (admin only, audited): a consistent snapshot of the whole store, taken while traffic flows, as
/// the SQLite file <c>berth restore</c> and <c>berth migrate</c> read. It holds what the store holds: secrets and request
/// payloads still encrypted with the secrets key, tokens as hashes.
/// </summary>
internal static class BackupApi
{
    /// <summary>Response header: the tables and rows the backup holds (<c>24 tables, 1830 rows</c>).</summary>
    public const string SummaryHeader = "Berth-Backup-Summary";

    public const string ContentType = "application/vnd.sqlite3";

    public static RouteGroupBuilder MapBackupApi(this RouteGroupBuilder api)
    {
        api.MapPost("/backup", BackupAsync).WithTags("Backup").WithName("Backup").RequireAuthorization(BerthPolicies.Admin);
        return api;
    }

    private static async Task BackupAsync(HttpContext context, StoreDatabase database, IOptions<BerthOptions> options, CancellationToken ct)
    {
        // Written beside the database, in the server's own data directory, and gone once sent.
        var folder = Path.Combine(options.Value.DataDir, $".backup-{Guid.NewGuid():N}");
        OwnerOnly.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "backup.db");
            var tables = await StoreTransfer.BackupAsync(database, file, ct);
            context.Response.ContentType = ContentType;
            context.Response.Headers.ContentDisposition = "attachment; filename=berth-backup.db";
            context.Response.Headers[SummaryHeader] = $"{tables.Count} tables, {tables.Sum(t => t.Rows)} rows";
            await context.Response.SendFileAsync(file, ct);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
