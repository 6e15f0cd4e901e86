using Berth.Core.Plugins;
using Berth.Core.Specs;
using Berth.Storage.Sql;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>
/// The plugin store's contract, run on each engine by the classes at the end of the file: installed versions added once and
/// listed by id; invocation records stored one at a time or in a batch, listed newest first, purged by age.
/// </summary>
public abstract class PluginStoreTests(StoreEngine engine) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SqlPluginStore _plugins = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
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

    private PluginRecord Plugin(string id, string version, TimeSpan installedAgo) => new()
    {
        Id = id,
        Version = version,
        Spec = new PluginSpec { Name = id, Version = version },
        Directory = $"/var/lib/berth/plugins/{id}/{version}",
        Digest = $"sha256:{id}{version}",
        Source = "oci://registry.local/plugins",
        Notes = ["first install"],
        InstalledAt = _database.Clock.GetUtcNow() - installedAgo,
        InstalledBy = "token:ops",
    };

    [Fact]
    public async Task AddAsync_SameVersionTwice_KeepsTheFirstAndGetReturnsEveryField()
    {
        var plugin = Plugin("words", "1.0.0", TimeSpan.Zero);

        (await _plugins.AddAsync(plugin, TestTimeouts.Token())).ShouldBeTrue();
        (await _plugins.AddAsync(plugin with { Digest = "sha256:other" }, TestTimeouts.Token())).ShouldBeFalse();

        var stored = await _plugins.GetAsync("words", "1.0.0", TestTimeouts.Token());
        stored.ShouldNotBeNull();
        stored.ShouldBe(plugin with { Spec = stored.Spec, Notes = stored.Notes });
        stored.Spec.Name.ShouldBe("words");
        stored.Spec.Version.ShouldBe("1.0.0");
        stored.Notes.ShouldBe(["first install"]);
        (await _plugins.GetAsync("words", "2.0.0", TestTimeouts.Token())).ShouldBeNull();
    }

    [Fact]
    public async Task ListAsync_SeveralVersions_ByIdThenInstallTimeAndDeleteRemovesOne()
    {
        await _plugins.AddAsync(Plugin("words", "2.0.0", TimeSpan.FromMinutes(1)), TestTimeouts.Token());
        await _plugins.AddAsync(Plugin("words", "1.0.0", TimeSpan.FromMinutes(2)), TestTimeouts.Token());
        await _plugins.AddAsync(Plugin("adder", "1.0.0", TimeSpan.Zero), TestTimeouts.Token());

        (await _plugins.ListAsync(null, TestTimeouts.Token())).Select(p => $"{p.Id}@{p.Version}").ShouldBe(["adder@1.0.0", "words@1.0.0", "words@2.0.0"]);
        (await _plugins.ListAsync("words", TestTimeouts.Token())).Select(p => p.Version).ShouldBe(["1.0.0", "2.0.0"]);

        (await _plugins.DeleteAsync("words", "1.0.0", TestTimeouts.Token())).ShouldBeTrue();
        (await _plugins.DeleteAsync("words", "1.0.0", TestTimeouts.Token())).ShouldBeFalse();
        (await _plugins.ListAsync("words", TestTimeouts.Token())).ShouldHaveSingleItem().Version.ShouldBe("2.0.0");
    }

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

public sealed class SqlitePluginStoreTests() : PluginStoreTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresPluginStoreTests() : PluginStoreTests(StoreEngine.Postgres);
