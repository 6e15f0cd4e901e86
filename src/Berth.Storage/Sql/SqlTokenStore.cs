using Berth.Core.Security;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>Tokens in the <c>tokens</c> table, found by the unique index on their hash.</summary>
internal sealed class SqlTokenStore(StoreDatabase database) : ITokenStore
{
    private const string Columns =
        "id AS Id, hash AS Hash, role AS Role, description AS Description, agent_name AS AgentName, instance_id AS InstanceId, run_id AS RunId, step_id AS StepId, " +
        "created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt, last_used_at AS LastUsedAt";

    private const string Insert =
        """
        INSERT INTO tokens (id, hash, role, description, agent_name, instance_id, run_id, step_id, created_at, expires_at, revoked_at, last_used_at)
        VALUES (@Id, @Hash, @Role, @Description, @AgentName, @InstanceId, @RunId, @StepId, @CreatedAt, @ExpiresAt, @RevokedAt, @LastUsedAt)
        """;

    public async Task CreateAsync(TokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parameters = new
        {
            token.Id,
            token.Hash,
            token.Role,
            token.Description,
            token.AgentName,
            token.InstanceId,
            token.RunId,
            token.StepId,
            CreatedAt = StoredTime.Format(token.CreatedAt),
            ExpiresAt = StoredTime.Format(token.ExpiresAt),
            RevokedAt = StoredTime.Format(token.RevokedAt),
            LastUsedAt = StoredTime.Format(token.LastUsedAt),
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(Insert, parameters, cancellationToken: cancellationToken));
        }
        catch (Exception ex) when (database.IsUniqueViolation(ex))
        {
            throw new InvalidOperationException($"A token with id '{token.Id}' or the same hash already exists; generate a new token.", ex);
        }
    }

    public Task<TokenRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        return QuerySingleAsync($"SELECT {Columns} FROM tokens WHERE hash = @Hash", new { Hash = hash }, cancellationToken);
    }

    public Task<TokenRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return QuerySingleAsync($"SELECT {Columns} FROM tokens WHERE id = @Id", new { Id = id }, cancellationToken);
    }

    public async Task<IReadOnlyList<TokenRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TokenRow>(new CommandDefinition(
            $"SELECT {Columns} FROM tokens ORDER BY created_at, id", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<TokenRecord>> ListForAgentAsync(string agentName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentName);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TokenRow>(new CommandDefinition(
            $"SELECT {Columns} FROM tokens WHERE agent_name = @AgentName ORDER BY created_at, id", new { AgentName = agentName }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM tokens WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM tokens)", cancellationToken: cancellationToken)) == 1;
    }

    public async Task<TokenRecord?> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tokens SET revoked_at = @At WHERE id = @Id AND revoked_at IS NULL",
            new { Id = id, At = StoredTime.Format(at) },
            cancellationToken: cancellationToken));
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
            $"SELECT {Columns} FROM tokens WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tokens SET last_used_at = @At WHERE id = @Id",
            new { Id = id, At = StoredTime.Format(at) },
            cancellationToken: cancellationToken));
    }

    private async Task<TokenRecord?> QuerySingleAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    private sealed class TokenRow
    {
        public string Id { get; init; } = "";

        public string Hash { get; init; } = "";

        public string Role { get; init; } = "";

        public string? Description { get; init; }

        public string? AgentName { get; init; }

        public string? InstanceId { get; init; }

        public string? RunId { get; init; }

        public string? StepId { get; init; }

        public string CreatedAt { get; init; } = "";

        public string? ExpiresAt { get; init; }

        public string? RevokedAt { get; init; }

        public string? LastUsedAt { get; init; }

        public TokenRecord ToRecord() => new()
        {
            Id = Id,
            Hash = Hash,
            Role = Role,
            Description = Description,
            AgentName = AgentName,
            InstanceId = InstanceId,
            RunId = RunId,
            StepId = StepId,
            CreatedAt = Time(CreatedAt, "created_at") ?? throw Invalid("created_at is empty"),
            ExpiresAt = Time(ExpiresAt, "expires_at"),
            RevokedAt = Time(RevokedAt, "revoked_at"),
            LastUsedAt = Time(LastUsedAt, "last_used_at"),
        };

        private DateTimeOffset? Time(string? text, string column) =>
            text is null ? null
            : StoredTime.TryParse(text, out var time) ? time
            : throw Invalid($"{column} '{text}' is not an ISO 8601 UTC time");

        private StoredDataException Invalid(string problem) => new(
            $"Stored token '{Id}' cannot be read: {problem}. The database was probably edited by hand; revoke the token and create a new one.");
    }
}
