using Berth.Core.Storage;
using Berth.Storage.Sql;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>The store identity's contract, run on each engine by the classes at the end of the file.</summary>
public abstract class StoreIdentityStoreTests(StoreEngine engine) : IAsyncLifetime
{
    private TestDatabase _database = null!;

    private SqlStoreIdentityStore Store => new(_database.Database, _database.Clock);

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(engine);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task GetOrAdd_ServersStartingAtOnce_AllGetTheFirstIdentityStored()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new SqlStoreIdentityStore(_database.OpenServer(), _database.Clock)).ToList();

        var stored = await Task.WhenAll(stores.Select((store, i) =>
            Task.Run(() => store.GetOrAddAsync(new StoreIdentity($"store-{i}", [(byte)i, 7]), TestTimeouts.Token()))));

        stored.Select(s => $"{s.Id}:{Convert.ToHexString(s.KeyCheck)}").Distinct().ShouldHaveSingleItem("every server agrees on one identity");
        var later = await Store.GetOrAddAsync(new StoreIdentity("later", [9, 9]), TestTimeouts.Token());
        later.Id.ShouldBe(stored[0].Id, "a later proposal does not replace it");
        later.KeyCheck.ShouldBe(stored[0].KeyCheck);
    }

    [Fact]
    public async Task ReplaceKeyCheck_KeepsTheIdAndGivesEveryoneTheNewCheck()
    {
        await Store.GetOrAddAsync(new StoreIdentity("first", [1]), TestTimeouts.Token());

        await Store.ReplaceKeyCheckAsync([2, 2], TestTimeouts.Token());

        var now = await Store.GetOrAddAsync(new StoreIdentity("other", [3]), TestTimeouts.Token());
        now.Id.ShouldBe("first");
        now.KeyCheck.ShouldBe(new byte[] { 2, 2 });
    }

    [Fact]
    public async Task ReplaceKeyCheck_BeforeAnyIdentity_IsRefused() =>
        await Should.ThrowAsync<InvalidOperationException>(() => Store.ReplaceKeyCheckAsync([1], TestTimeouts.Token()));
}

public sealed class SqliteStoreIdentityStoreTests() : StoreIdentityStoreTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresStoreIdentityStoreTests() : StoreIdentityStoreTests(StoreEngine.Postgres);
