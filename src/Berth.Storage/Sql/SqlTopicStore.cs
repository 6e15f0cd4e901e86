using System.Text.Json;
using Berth.Core.Messaging;
using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>Applied topics and subscriptions in the <c>topics</c> and <c>subscriptions</c> tables; each spec is the API's JSON.</summary>
internal sealed class SqlTopicStore(StoreDatabase database, TimeProvider timeProvider) : ITopicStore
{
    private static readonly Table Topics = new(
        "SELECT spec FROM topics WHERE name = @Name",
        "INSERT INTO topics (name, spec, created_at, updated_at) VALUES (@Name, @Spec, @Now, @Now)",
        "UPDATE topics SET spec = @Spec, updated_at = @Now WHERE name = @Name",
        "DELETE FROM topics WHERE name = @Name");

    private static readonly Table Subscriptions = new(
        "SELECT spec FROM subscriptions WHERE name = @Name",
        "INSERT INTO subscriptions (name, topic, spec, created_at, updated_at) VALUES (@Name, @Topic, @Spec, @Now, @Now)",
        "UPDATE subscriptions SET topic = @Topic, spec = @Spec, updated_at = @Now WHERE name = @Name",
        "DELETE FROM subscriptions WHERE name = @Name");

    public async Task<IReadOnlyList<TopicSpec>> ListTopicsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Name, string Spec)>(new CommandDefinition(
            "SELECT name, spec FROM topics ORDER BY name", cancellationToken: cancellationToken));
        return rows.Select(r => Read<TopicSpec>(r.Spec, "Topic", r.Name, s => s.Name)).ToList();
    }

    public async Task<IReadOnlyList<SubscriptionSpec>> ListSubscriptionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Name, string Spec)>(new CommandDefinition(
            "SELECT name, spec FROM subscriptions ORDER BY name", cancellationToken: cancellationToken));
        return rows.Select(r => Read<SubscriptionSpec>(r.Spec, "Subscription", r.Name, s => s.Name)).ToList();
    }

    public Task<ApplyOutcome> ApplyTopicAsync(TopicSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.Name);
        return ApplyAsync(Topics, spec.Name, topic: null, StoredJson.Serialize(spec), Normalize<TopicSpec>, cancellationToken);
    }

    public Task<ApplyOutcome> ApplySubscriptionAsync(SubscriptionSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.Name);
        ArgumentException.ThrowIfNullOrEmpty(spec.Topic);
        return ApplyAsync(Subscriptions, spec.Name, spec.Topic, StoredJson.Serialize(spec), Normalize<SubscriptionSpec>, cancellationToken);
    }

    public Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken) => DeleteAsync(Topics, name, cancellationToken);

    public Task<bool> DeleteSubscriptionAsync(string name, CancellationToken cancellationToken) => DeleteAsync(Subscriptions, name, cancellationToken);

    private async Task<ApplyOutcome> ApplyAsync(
        Table table, string name, string? topic, string json, Func<string, string?> normalize, CancellationToken cancellationToken)
    {
        var parameters = new { Name = name, Topic = topic, Spec = json, Now = StoredTime.Format(timeProvider.GetUtcNow()) };
        return await database.WriteAsync(async (connection, transaction) =>
        {
            var stored = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                table.Select, parameters, transaction, cancellationToken: cancellationToken));
            if (stored is not null && (string.Equals(stored, json, StringComparison.Ordinal) || string.Equals(normalize(stored), json, StringComparison.Ordinal)))
            {
                return ApplyOutcome.Unchanged;
            }

            await connection.ExecuteAsync(new CommandDefinition(stored is null ? table.Insert : table.Update, parameters, transaction, cancellationToken: cancellationToken));
            return stored is null ? ApplyOutcome.Created : ApplyOutcome.Updated;
        }, cancellationToken);
    }

    private async Task<bool> DeleteAsync(Table table, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(table.Delete, new { Name = name }, cancellationToken: cancellationToken)) > 0;
    }

    private static T Read<T>(string json, string kind, string name, Func<T, string> nameOf)
        where T : class
    {
        var owner = $"{kind} '{name}'";
        var spec = StoredJson.Deserialize<T>(json, owner, "spec");
        return string.Equals(nameOf(spec), name, StringComparison.Ordinal)
            ? spec
            : throw new StoredDataException($"{owner} cannot be read: its spec names '{nameOf(spec)}'. The database was probably edited by hand; apply it again.");
    }

    /// <summary>
    /// The stored spec written again by this Berth, so one stored by an older Berth (or reformatted) still compares equal;
    /// null for unreadable JSON, which never matches, so applying over a hand-broken row repairs it.
    /// </summary>
    private static string? Normalize<T>(string stored)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(stored, BerthJson.Options) is { } spec ? StoredJson.Serialize(spec) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Table(string Select, string Insert, string Update, string Delete);
}
