using Berth.Core.Security;
using Berth.Core.Storage;
using Berth.Server.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Security;

/// <summary>
/// Makes sure a person can reach a new server: when <c>{dataDir}/admin.token</c> is absent, creates an admin token
/// and writes it there, readable by the owner only. An existing file is never overwritten; if the server does not
/// accept its token, a warning says how to recover (delete the file and restart). Whoever can write the data
/// directory controls the database anyway, so recreating a missing file grants nothing new. A token written or found
/// valid also keys the proof <c>/healthz</c> gives the CLI before it sends that token (<see cref="AdminTokenProofKey"/>).
/// </summary>
internal sealed class AdminTokenBootstrap(
    ITokenStore store, TokenIssuer issuer, AdminTokenProofKey proofKey, IOptions<BerthOptions> options, TimeProvider time, ILogger<AdminTokenBootstrap> logger)
{
    public const string FileName = "admin.token";

    public const string Description = "admin token written to admin.token at start";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string FilePath => Path.Combine(options.Value.DataDir, FileName);

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var path = FilePath;
        if (File.Exists(path))
        {
            await CheckExistingAsync(path, cancellationToken);
            return;
        }

        var (token, _) = await issuer.CreateAsync(BerthRoles.Admin, lifetime: null, Description, "server start", cancellationToken);
        Berth.Core.Security.OwnerOnly.CreateDirectory(options.Value.DataDir);

        // Written to a temporary name created 0600 from the start, then renamed: the file is never readable by
        // others, and never seen half-written.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
            await using (var stream = new FileStream(temporary, create))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteLineAsync(token.AsMemory(), cancellationToken);
            }

            File.Move(temporary, path, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }

        proofKey.Set(token);
        SecurityLog.AdminTokenWritten(logger, path);
    }

    private async Task CheckExistingAsync(string path, CancellationToken cancellationToken)
    {
        if ((File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnly);
            SecurityLog.AdminTokenPermissionsFixed(logger, path);
        }

        var text = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        if (!BearerTokens.IsWellFormed(text))
        {
            SecurityLog.AdminTokenRejected(logger, path, "it is not a Berth token");
            return;
        }

        var record = await store.FindByHashAsync(BearerTokens.Hash(text), cancellationToken);
        var reason = record switch
        {
            null => "no token like it was ever created by this server's database",
            { RevokedAt: not null } => $"token {record.Id} was revoked",
            _ when !record.IsUsableAt(time.GetUtcNow()) => $"token {record.Id} expired",
            { Role: not BerthRoles.Admin } => $"token {record.Id} has role {record.Role}, not admin",
            _ => null,
        };
        if (reason is not null)
        {
            SecurityLog.AdminTokenRejected(logger, path, reason);
            return;
        }

        proofKey.Set(text);
    }
}
