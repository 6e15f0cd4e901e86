using Berth.Core.Plugins;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Berth.Testing;

namespace Berth.Storage.Tests.Sqlite;

/// <summary>Plugin invocation records in SQLite: stored one at a time or in a batch, listed newest first, purged by age.</summary>
public sealed class PluginInvocationStoreTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SqlPluginStore _plugins = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _plugins = new SqlPluginStore(_database.Database);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private static PluginInvocation Call(string plugin, DateTimeOffset startedAt, PluginOutcome outcome = PluginOutcome.Succeeded) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        PluginId = plugin,
        Version = "1.0.0",
        Caller = "token:ops",
        RunId = "r1",
        StepId = "count",
        InstanceId = "i1",
        StartedAt = startedAt,
        Duration = TimeSpan.FromMilliseconds(12.5),
        Outcome = outcome,
        ErrorClass = outcome == PluginOutcome.Failed ? "timeout" : null,
        Message = outcome == PluginOutcome.Failed ? "no answer within 30s" : null,
    };

    [Fact]
    public async Task ListInvocationsAsync_CallsOfOnePlugin_NewestFirstWithEveryFieldUpToTheLimit()
    {
        var now = _database.Clock.GetUtcNow();
        var older = Call("words", now.AddMinutes(-2), PluginOutcome.Failed);
        var newer = Call("words", now.AddMinutes(-1));
        await _plugins.AddInvocationAsync(older, TestTimeouts.Token());
        await _plugins.AddInvocationAsync(newer, TestTimeouts.Token());
        await _plugins.AddInvocationAsync(Call("other", now), TestTimeouts.Token());

        var listed = await _plugins.ListInvocationsAsync("words", 10, TestTimeouts.Token());
        var limited = await _plugins.ListInvocationsAsync("words", 1, TestTimeouts.Token());

        listed.ShouldBe([newer, older]);
        limited.ShouldBe([newer]);
    }

    [Fact]
    public async Task AddInvocationsAsync_ABatch_IsListedNewestFirstWithEveryField()
    {
        var start = _database.Clock.GetUtcNow();
        var batch = Enumerable.Range(0, 3)
            .Select(i => Call("words", start.AddSeconds(i), i == 2 ? PluginOutcome.Failed : PluginOutcome.Succeeded) with { InstanceId = i == 2 ? null : "i1" })
            .ToList();

        await _plugins.AddInvocationsAsync(batch, TestTimeouts.Token());

        (await _plugins.ListInvocationsAsync("words", 2, TestTimeouts.Token())).ShouldBe([batch[2], batch[1]]);
    }

    [Fact]
    public async Task PurgeInvocationsAsync_Cutoff_DeletesOnlyCallsThatBeganBeforeIt()
    {
        var now = _database.Clock.GetUtcNow();
        var old = Call("words", now.AddDays(-31));
        var recent = Call("words", now.AddDays(-29));
        var otherOld = Call("other", now.AddDays(-40));
        foreach (var call in new[] { old, recent, otherOld })
        {
            await _plugins.AddInvocationAsync(call, TestTimeouts.Token());
        }

        var purged = await _plugins.PurgeInvocationsAsync(now.AddDays(-30), TestTimeouts.Token());

        purged.ShouldBe(2);
        (await _plugins.ListInvocationsAsync("words", 10, TestTimeouts.Token())).ShouldBe([recent]);
        (await _plugins.ListInvocationsAsync("other", 10, TestTimeouts.Token())).ShouldBeEmpty();
    }
}
