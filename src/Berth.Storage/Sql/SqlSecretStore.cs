using Berth.Core.Security;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>Encrypted secrets in the <c>secrets</c> table; the value column holds ciphertext only.</summary>
internal sealed class SqlSecretStore(StoreDatabase database, TimeProvider timeProvider) : ISecretStore
{
    private const string Columns = "name AS Name, created_at AS CreatedAt, updated_at AS UpdatedAt";

    private const string SelectCreated = "SELECT created_at FROM secrets WHERE name = @Name";

    private const string Insert = "INSERT INTO secrets (name, value, created_at, updated_at) VALUES (@Name, @Value, @Now, @Now)";

    private const string Update = "UPDATE secrets SET value = @Value, updated_at = @Now WHERE name = @Name";

    public async Task<SecretSetResult> SetAsync(string name, byte[] ciphertext, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(ciphertext);
        var now = timeProvider.GetUtcNow();
        var parameters = new { Name = name, Value = ciphertext, Now = StoredTime.Format(now) };
        var created = await database.WriteAsync(async (connection, transaction) =>
        {
            var stored = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(SelectCreated, parameters, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(stored is null ? Insert : Update, parameters, transaction, cancellationToken: cancellationToken));
            return stored;
        }, cancellationToken);
        var createdAt = created is null ? now : ParseTime(name, "created_at", created);
        return new SecretSetResult(new SecretInfo(name, createdAt, now), created is null);
    }

    public async Task<byte[]?> GetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<byte[]>(
            new CommandDefinition("SELECT value FROM secrets WHERE name = @Name", new { Name = name }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<SecretInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SecretRow>(new CommandDefinition($"SELECT {Columns} FROM secrets ORDER BY name", cancellationToken: cancellationToken));
        return rows.Select(r => new SecretInfo(r.Name, ParseTime(r.Name, "created_at", r.CreatedAt), ParseTime(r.Name, "updated_at", r.UpdatedAt))).ToList();
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM secrets WHERE name = @Name", new { Name = name }, cancellationToken: cancellationToken)) > 0;
    }

    private static DateTimeOffset ParseTime(string name, string column, string text) =>
        StoredTime.TryParse(text, out var time)
            ? time
            : throw new StoredDataException(
                $"Stored secret '{name}' cannot be read: its {column} '{text}' is not an ISO 8601 UTC time. " +
                $"The database was probably edited by hand; set the secret again with 'berth secrets set {name}'.");

    private sealed class SecretRow
    {
        public string Name { get; init; } = "";

        public string CreatedAt { get; init; } = "";

        public string UpdatedAt { get; init; } = "";
    }
}
