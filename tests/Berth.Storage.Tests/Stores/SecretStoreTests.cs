using Berth.Storage.Sql;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>The secret store's contract, run on each engine by the classes at the end of the file.</summary>
public abstract class SecretStoreTests(StoreEngine engine) : IAsyncLifetime
{
    private TestDatabase _database = null!;

    private SqlSecretStore Store => new(_database.Database, _database.Clock);

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(engine);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task SetAsync_NewThenReplaced_KeepsCreatedAtAndMovesUpdatedAt()
    {
        var name = TestDatabase.NewName();
        var created = await Store.SetAsync(name, [1, 2, 3], TestTimeouts.Token());
        var createdAt = _database.Clock.GetUtcNow();
        _database.Clock.Advance(TimeSpan.FromMinutes(5));

        var replaced = await Store.SetAsync(name, [4, 5], TestTimeouts.Token());

        created.Created.ShouldBeTrue();
        replaced.Created.ShouldBeFalse();
        replaced.Secret.CreatedAt.ShouldBe(createdAt);
        replaced.Secret.UpdatedAt.ShouldBe(createdAt + TimeSpan.FromMinutes(5));
        (await Store.GetAsync(name, TestTimeouts.Token())).ShouldBe(new byte[] { 4, 5 });
    }

    [Fact]
    public async Task ListAsync_ReturnsNamesAndDatesInNameOrder()
    {
        await Store.SetAsync("zeta", [1], TestTimeouts.Token());
        await Store.SetAsync("alpha.key", [2], TestTimeouts.Token());

        var listed = await Store.ListAsync(TestTimeouts.Token());

        listed.Select(s => s.Name).ShouldBe(["alpha.key", "zeta"]);
        listed.ShouldAllBe(s => s.CreatedAt == _database.Clock.GetUtcNow() && s.UpdatedAt == s.CreatedAt);
    }

    [Fact]
    public async Task DeleteAsync_RemovesOnlyThatSecret_AndReportsUnknownNames()
    {
        await Store.SetAsync("keep", [1], TestTimeouts.Token());
        await Store.SetAsync("drop", [2], TestTimeouts.Token());

        (await Store.DeleteAsync("drop", TestTimeouts.Token())).ShouldBeTrue();
        (await Store.DeleteAsync("drop", TestTimeouts.Token())).ShouldBeFalse();

        (await Store.GetAsync("drop", TestTimeouts.Token())).ShouldBeNull();
        (await Store.GetAsync("keep", TestTimeouts.Token())).ShouldBe(new byte[] { 1 });
    }

    [Fact]
    public async Task SetAsync_SurvivesReopening_AsARestartedServerSeesIt()
    {
        await Store.SetAsync("persisted", [9, 9], TestTimeouts.Token());

        _database.Reopen();

        (await Store.GetAsync("persisted", TestTimeouts.Token())).ShouldBe(new byte[] { 9, 9 });
    }

    [Fact]
    public async Task SetAsync_ConcurrentWritersOfOneName_ExactlyOneCreates()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Store.SetAsync("race", [(byte)i], TestTimeouts.Token()))));

        results.Count(r => r.Created).ShouldBe(1);
        (await Store.ListAsync(TestTimeouts.Token())).ShouldHaveSingleItem();
    }
}

public sealed class SqliteSecretStoreTests() : SecretStoreTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresSecretStoreTests() : SecretStoreTests(StoreEngine.Postgres);
