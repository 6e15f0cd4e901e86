using Berth.Core.Security;
using Berth.Storage.Sql;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>The token store's contract, run on each engine by the classes at the end of the file.</summary>
public abstract class TokenStoreTests(StoreEngine engine) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SqlTokenStore _tokens = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        _tokens = new SqlTokenStore(_database.Database);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private TokenRecord NewToken(string role = BerthRoles.Viewer, DateTimeOffset? expiresAt = null) => new()
    {
        Id = Guid.NewGuid().ToString("N")[..12],
        Role = role,
        Hash = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"),
        Description = "ci",
        CreatedAt = _database.Clock.GetUtcNow(),
        ExpiresAt = expiresAt,
    };

    [Fact]
    public async Task ListForAgentAsync_MixedTokens_ReturnsOnlyThatAgentsAndDeleteRemovesOne()
    {
        var user = NewToken();
        var first = NewToken(BerthRoles.Agent) with { AgentName = "web", InstanceId = "web-000001" };
        var second = NewToken(BerthRoles.Agent) with { AgentName = "web", InstanceId = "web-000002" };
        var other = NewToken(BerthRoles.Agent) with { AgentName = "db", InstanceId = "db-000001" };
        foreach (var token in new[] { user, first, second, other })
        {
            await _tokens.CreateAsync(token, TestTimeouts.Token());
        }

        (await _tokens.ListForAgentAsync("web", TestTimeouts.Token())).Select(t => t.Id).ShouldBe([first.Id, second.Id], ignoreOrder: true);

        (await _tokens.DeleteAsync(first.Id, TestTimeouts.Token())).ShouldBeTrue();
        (await _tokens.DeleteAsync(first.Id, TestTimeouts.Token())).ShouldBeFalse();
        (await _tokens.FindByHashAsync(first.Hash, TestTimeouts.Token())).ShouldBeNull();
        (await _tokens.ListForAgentAsync("web", TestTimeouts.Token())).ShouldHaveSingleItem().Id.ShouldBe(second.Id);
        (await _tokens.ListAsync(TestTimeouts.Token())).Count.ShouldBe(3);
    }

    [Fact]
    public async Task FindByHashAsync_Created_ReturnsEveryField()
    {
        var token = NewToken(BerthRoles.Operator, _database.Clock.GetUtcNow().AddDays(30));

        await _tokens.CreateAsync(token, TestTimeouts.Token());

        (await _tokens.FindByHashAsync(token.Hash, TestTimeouts.Token())).ShouldBe(token);
        (await _tokens.GetAsync(token.Id, TestTimeouts.Token())).ShouldBe(token);
        (await _tokens.FindByHashAsync((token.Hash[0] == '0' ? "1" : "0") + token.Hash[1..], TestTimeouts.Token())).ShouldBeNull();
    }

    [Fact]
    public async Task CreateAsync_SameHashTwice_RefusesTheSecond()
    {
        var token = NewToken();
        await _tokens.CreateAsync(token, TestTimeouts.Token());

        await Should.ThrowAsync<InvalidOperationException>(() => _tokens.CreateAsync(token with { Id = "aaaaaaaaaaaa" }, TestTimeouts.Token()));
    }

    [Fact]
    public async Task RevokeAsync_Twice_KeepsTheFirstTimeAndUnknownIsNull()
    {
        var token = NewToken();
        await _tokens.CreateAsync(token, TestTimeouts.Token());
        var first = _database.Clock.GetUtcNow();

        var revoked = await _tokens.RevokeAsync(token.Id, first, TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await _tokens.RevokeAsync(token.Id, _database.Clock.GetUtcNow(), TestTimeouts.Token());

        revoked!.RevokedAt.ShouldBe(first);
        again!.RevokedAt.ShouldBe(first);
        again.IsUsableAt(first).ShouldBeFalse();
        (await _tokens.RevokeAsync("nosuchtoken0", first, TestTimeouts.Token())).ShouldBeNull();
    }

    [Fact]
    public async Task ListAsync_SeveralTokens_OldestFirstAndAnyReportsThem()
    {
        (await _tokens.AnyAsync(TestTimeouts.Token())).ShouldBeFalse();
        var older = NewToken();
        await _tokens.CreateAsync(older, TestTimeouts.Token());
        _database.Clock.Advance(TimeSpan.FromSeconds(1));
        var newer = NewToken(BerthRoles.Admin);
        await _tokens.CreateAsync(newer, TestTimeouts.Token());

        (await _tokens.ListAsync(TestTimeouts.Token())).Select(t => t.Id).ShouldBe([older.Id, newer.Id]);
        (await _tokens.AnyAsync(TestTimeouts.Token())).ShouldBeTrue();
    }

    [Fact]
    public async Task TouchAsync_Used_RecordsLastUse()
    {
        var token = NewToken();
        await _tokens.CreateAsync(token, TestTimeouts.Token());
        var used = _database.Clock.GetUtcNow().AddMinutes(5);

        await _tokens.TouchAsync(token.Id, used, TestTimeouts.Token());

        (await _tokens.GetAsync(token.Id, TestTimeouts.Token()))!.LastUsedAt.ShouldBe(used);
    }

    [Fact]
    public void IsUsableAt_ExpiryPassed_IsFalse()
    {
        var now = _database.Clock.GetUtcNow();
        var token = NewToken(expiresAt: now.AddSeconds(1));

        token.IsUsableAt(now).ShouldBeTrue();
        token.IsUsableAt(now.AddSeconds(1)).ShouldBeFalse();
    }
}

public sealed class SqliteTokenStoreTests() : TokenStoreTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresTokenStoreTests() : TokenStoreTests(StoreEngine.Postgres);
