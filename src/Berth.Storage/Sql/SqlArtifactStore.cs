using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Berth.Core.Storage;
using Berth.Core.Workflows.Runs;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>Artifacts in the <c>artifacts</c> table, one row per SHA-256 of the content.</summary>
internal sealed class SqlArtifactStore(StoreDatabase database) : IArtifactStore
{
    public async Task<ArtifactRef> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var address = new ArtifactRef(Convert.ToHexStringLower(SHA256.HashData(content.Span)), content.Length);
        await using var connection = await database.OpenAsync(cancellationToken);

        // Checked first so storing known content (the common case for cached steps) never binds and copies the blob.
        if (await ExistsAsync(connection, address.Sha256, cancellationToken))
        {
            return address;
        }

        var bytes = MemoryMarshal.TryGetArray(content, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : content.ToArray();
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO artifacts (sha256, size, content) VALUES (@Sha256, @Size, @Content) ON CONFLICT (sha256) DO NOTHING",
            new { address.Sha256, address.Size, Content = bytes },
            cancellationToken: cancellationToken));
        return address;
    }

    public async Task<byte[]?> GetAsync(string sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
            "SELECT content FROM artifacts WHERE sha256 = @Sha256", new { Sha256 = sha256 }, cancellationToken: cancellationToken));
    }

    // EXISTS is an integer on SQLite and a boolean on PostgreSQL; Dapper converts either to bool.
    private static Task<bool> ExistsAsync(System.Data.Common.DbConnection connection, string sha256, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM artifacts WHERE sha256 = @Sha256)", new { Sha256 = sha256 }, cancellationToken: cancellationToken));
}
