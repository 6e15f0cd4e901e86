using Berth.Core.Plugins;
using Berth.Storage.Sqlite;
using Berth.Testing;

namespace Berth.Storage.Tests.Sqlite;

/// <summary>Plugin invocation records in SQLite: a batch stored in one transaction, listed newest first, every field kept.</summary>
public sealed class PluginInvocationStoreTests : IAsyncLifetime
{
    private readonly string _id = TestDatabase.NewName();
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task AddInvocationsAsync_ABatch_IsListedNewestFirstWithEveryField()
    {
        var store = new SqlitePluginStore(_database.Connections);
        var start = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var batch = Enumerable.Range(0, 3).Select(i => new PluginInvocation
        {
            Id = $"inv-{i}",
            PluginId = _id,
            Version = "1.0.0",
            Caller = "run:r1",
            RunId = "r1",
            StepId = "count",
            InstanceId = i == 2 ? null : "i-1",
            StartedAt = start.AddSeconds(i),
            Duration = TimeSpan.FromMilliseconds(1.5 * (i + 1)),
            Outcome = i == 2 ? PluginOutcome.Failed : PluginOutcome.Succeeded,
            ErrorClass = i == 2 ? "timeout" : null,
            Message = i == 2 ? "too slow" : null,
        }).ToList();

        await store.AddInvocationsAsync(batch, TestTimeouts.Token());
        var listed = await store.ListInvocationsAsync(_id, 2, TestTimeouts.Token());

        listed.Select(i => i.Id).ShouldBe(["inv-2", "inv-1"]);
        listed[0].ShouldBe(batch[2]);
        listed[1].ShouldBe(batch[1]);
    }
}
