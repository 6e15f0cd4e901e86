using Berth.Core.Agents;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>Agents in the <c>agents</c> table; the spec is the API's JSON in a text column.</summary>
internal sealed class SqlAgentStore(StoreDatabase database, TimeProvider timeProvider) : IAgentStore
{
    private const string Columns =
        "name AS Name, spec AS Spec, generation AS Generation, desired_state AS DesiredState, created_at AS CreatedAt, updated_at AS UpdatedAt, plugin AS Plugin";

    private const string SelectOne = $"SELECT {Columns} FROM agents WHERE name = @Name";

    private const string SelectAll = $"SELECT {Columns} FROM agents ORDER BY name";

    private const string Insert =
        $"""
        INSERT INTO agents (name, spec, generation, desired_state, created_at, updated_at, plugin)
        VALUES (@Name, @Spec, 1, @DesiredState, @Now, @Now, @Plugin)
        RETURNING {Columns}
        """;

    private const string UpdateSpec =
        $"""
        UPDATE agents SET spec = @Spec, generation = generation + 1, desired_state = @DesiredState, updated_at = @Now
        WHERE name = @Name
        RETURNING {Columns}
        """;

    private const string UpdateDesiredState =
        $"""
        UPDATE agents SET desired_state = @DesiredState,
            updated_at = CASE WHEN desired_state = @DesiredState THEN updated_at ELSE @Now END
        WHERE name = @Name
        RETURNING {Columns}
        """;

    private const string Bump = $"UPDATE agents SET generation = generation + 1, updated_at = @Now WHERE name = @Name RETURNING {Columns}";

    private readonly TableSnapshot<AgentRecord> _all = new("agents");

    public async Task<AgentRecord?> GetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AgentRow>(new CommandDefinition(SelectOne, new { Name = name }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<AgentRecord>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await ListWithPoolsAsync(cancellationToken)).Where(a => a.Plugin is null)];

    public async Task<IReadOnlyList<AgentRecord>> ListWithPoolsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await _all.ReadAsync(
            connection,
            async () => (await connection.QueryAsync<AgentRow>(new CommandDefinition(SelectAll, cancellationToken: cancellationToken))).Select(r => r.ToRecord()),
            cancellationToken);
    }

    public Task<ApplyResult> ApplyAsync(AgentSpec spec, CancellationToken cancellationToken) => ApplyAsync(spec, null, cancellationToken);

    public Task<ApplyResult> ApplyPoolAsync(AgentSpec spec, string plugin, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(plugin);
        return ApplyAsync(spec, plugin, cancellationToken);
    }

    private async Task<ApplyResult> ApplyAsync(AgentSpec spec, string? plugin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.Name);
        var json = StoredSpec.Serialize(spec);
        var now = StoredTime.Format(timeProvider.GetUtcNow());
        return await database.WriteAsync(async (connection, transaction) =>
        {
            var current = await connection.QuerySingleOrDefaultAsync<AgentRow>(
                new CommandDefinition(SelectOne, new { spec.Name }, transaction, cancellationToken: cancellationToken));

            AgentRow stored;
            ApplyOutcome outcome;
            if (current is null)
            {
                var created = new { spec.Name, Spec = json, DesiredState = StoredEnum<DesiredState>.ToText(DesiredState.Running), Now = now, Plugin = plugin };
                stored = await connection.QuerySingleAsync<AgentRow>(new CommandDefinition(Insert, created, transaction, cancellationToken: cancellationToken));
                outcome = ApplyOutcome.Created;
            }
            else
            {
                if (!string.Equals(current.Plugin, plugin, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"agent '{spec.Name}' belongs to {(current.Plugin is null ? "the agents users apply" : $"plugin {current.Plugin}")}; it cannot be applied as {(plugin is null ? "an agent" : $"a pool of {plugin}")}");
                }

                var removing = current.DesiredState == StoredEnum<DesiredState>.ToText(DesiredState.Removed);
                if (!removing && StoredSpec.Matches(current.Spec, json))
                {
                    return new ApplyResult(current.ToRecord(), ApplyOutcome.Unchanged);
                }

                // Applying an agent that is being removed brings it back; the bump makes the reconciler start it afresh.
                var desired = removing ? StoredEnum<DesiredState>.ToText(DesiredState.Running) : current.DesiredState;
                var updated = new { spec.Name, Spec = json, DesiredState = desired, Now = now };
                stored = await connection.QuerySingleAsync<AgentRow>(new CommandDefinition(UpdateSpec, updated, transaction, cancellationToken: cancellationToken));
                outcome = ApplyOutcome.Updated;
            }

            return new ApplyResult(stored.ToRecord(), outcome);
        }, cancellationToken);
    }

    public async Task<AgentRecord?> SetDesiredStateAsync(string name, DesiredState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parameters = new { Name = name, DesiredState = StoredEnum<DesiredState>.ToText(state), Now = StoredTime.Format(timeProvider.GetUtcNow()) };
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AgentRow>(new CommandDefinition(UpdateDesiredState, parameters, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<AgentRecord?> BumpGenerationAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parameters = new { Name = name, Now = StoredTime.Format(timeProvider.GetUtcNow()) };
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AgentRow>(new CommandDefinition(Bump, parameters, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parameters = new { Name = name };
        return await database.WriteAsync(async (connection, transaction) =>
        {
            // The foreign keys cascade too; deleting explicitly keeps this correct on engines or connections without them.
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM events WHERE agent_name = @Name", parameters, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM instances WHERE agent_name = @Name", parameters, transaction, cancellationToken: cancellationToken));
            return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM agents WHERE name = @Name", parameters, transaction, cancellationToken: cancellationToken)) > 0;
        }, cancellationToken);
    }

    private sealed class AgentRow
    {
        public string Name { get; init; } = "";

        public string Spec { get; init; } = "";

        public long Generation { get; init; }

        public string DesiredState { get; init; } = "";

        public string CreatedAt { get; init; } = "";

        public string UpdatedAt { get; init; } = "";

        public string? Plugin { get; init; }

        public AgentRecord ToRecord() => new()
        {
            Name = Name,
            Plugin = Plugin,
            Spec = StoredSpec.Deserialize(Name, Spec),
            Generation = Generation,
            DesiredState = StoredEnum<DesiredState>.TryParse(DesiredState, out var state)
                ? state
                : throw Invalid($"desired_state '{DesiredState}' is not running, stopped or removed"),
            CreatedAt = StoredTime.TryParse(CreatedAt, out var created) ? created : throw Invalid($"created_at '{CreatedAt}' is not an ISO 8601 UTC time"),
            UpdatedAt = StoredTime.TryParse(UpdatedAt, out var updated) ? updated : throw Invalid($"updated_at '{UpdatedAt}' is not an ISO 8601 UTC time"),
        };

        private StoredDataException Invalid(string problem) => StoredDataException.ForRow("agents", Name, Name, problem);
    }
}
