using Berth.Core.Llm;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>The <c>llm_cache</c> table: cached LLM answers by key, each served until it expires.</summary>
internal sealed class SqlLlmResponseCache(StoreDatabase database) : ILlmResponseCache
{
    private const string Upsert = """
        INSERT INTO llm_cache (key, endpoint, content_type, body, created_at, expires_at)
        VALUES (@Key, @Endpoint, @ContentType, @Body, @Now, @ExpiresAt)
        ON CONFLICT (key) DO UPDATE SET endpoint = excluded.endpoint, content_type = excluded.content_type, body = excluded.body,
            created_at = excluded.created_at, expires_at = excluded.expires_at
        """;

    public async Task<CachedAnswer?> FindAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT key AS Key, endpoint AS Endpoint, content_type AS ContentType, body AS Body, expires_at AS ExpiresAt FROM llm_cache WHERE key = @Key AND expires_at > @Now",
            new { Key = key, Now = StoredTime.Format(now) }, cancellationToken: cancellationToken));
        return row is null || !StoredTime.TryParse(row.ExpiresAt, out var expires) ? null : new CachedAnswer(row.Key, row.Endpoint, row.ContentType, row.Body, expires);
    }

    public async Task PutAsync(CachedAnswer answer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        await database.LockingWriteAsync(async (connection, transaction) =>
        {
            var at = StoredTime.Format(now);
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM llm_cache WHERE expires_at <= @Now", new { Now = at }, transaction, cancellationToken: cancellationToken));
            return await connection.ExecuteAsync(new CommandDefinition(Upsert, new
            {
                answer.Key, answer.Endpoint, answer.ContentType, answer.Body, Now = at, ExpiresAt = StoredTime.Format(answer.ExpiresAt),
            }, transaction, cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    private sealed class Row
    {
        public string Key { get; init; } = string.Empty;

        public string Endpoint { get; init; } = string.Empty;

        public string? ContentType { get; init; }

        public byte[] Body { get; init; } = [];

        public string ExpiresAt { get; init; } = string.Empty;
    }
}
