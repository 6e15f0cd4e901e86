using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>
/// PostgreSQL only: the reconciler reports on an agent while another server deletes it. The instance upsert and the event
/// append check that the agent exists, but on PostgreSQL that check reads a snapshot and takes no lock, so the delete can
/// commit between the check and the insert; the write must then be dropped as if the agent had been gone, not fail. (SQLite
/// has one writer at a time, so the check cannot go stale there.)
/// </summary>
[RequiresPostgres]
public sealed class PostgresAgentDeleteRaceTests : IAsyncLifetime
{
    private readonly string _name = TestDatabase.NewName();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(StoreEngine.Postgres);
        await _database.Agents.ApplyAsync(TestDatabase.Spec(_name), TestTimeouts.Token());
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Theory]
    [InlineData("instance")]
    [InlineData("event")]
    public async Task Write_AgentDeletedByAnotherServerAfterTheCheck_DroppedWithoutError(string write)
    {
        await using var other = await _database.OpenServer().OpenAsync(TestTimeouts.Token());
        await using var deleting = await other.BeginTransactionAsync(TestTimeouts.Token());
        await using (var delete = other.CreateCommand())
        {
            delete.Transaction = deleting;
            delete.CommandText = $"DELETE FROM agents WHERE name = '{_name}'";
            await delete.ExecuteNonQueryAsync(TestTimeouts.Token());
        }

        // The write sees the agent (the delete is not committed) and then waits on the row the delete has locked.
        var writing = WriteAsync();
        await Eventually.TrueAsync(
            async _ => writing.IsCompleted || await _database.CountAsync(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0,
            "the write waits for the deleting transaction");
        writing.IsCompleted.ShouldBeFalse("the write must wait for the agent row the delete holds");
        await deleting.CommitAsync(TestTimeouts.Token());

        (await writing.WaitAsync(TestTimeouts.Slow)).ShouldBe(0, "an event of a deleted agent is not stored, so it has no id");
        (await _database.CountAsync("SELECT COUNT(*) FROM instances")).ShouldBe(0);
        (await _database.CountAsync("SELECT COUNT(*) FROM events")).ShouldBe(0);

        async Task<long> WriteAsync()
        {
            if (write == "instance")
            {
                await _database.Instances.UpsertAsync(InstanceStoreTests.Instance(_name, $"{_name}-0", _database.Clock), TestTimeouts.Token());
                return 0;
            }

            return (await _database.Events.AppendAsync(EventStoreTests.Event(_name, "Started", _database.Clock), TestTimeouts.Token())).Id;
        }
    }
}
