using System.Security.Cryptography;
using Berth.Storage.Sql;
using Berth.Testing;

namespace Berth.Storage.Tests.Stores;

/// <summary>The artifact store's contract, run on each engine by the classes at the end of the file.</summary>
public abstract class ArtifactStoreTests(StoreEngine engine) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SqlArtifactStore _artifacts = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        _artifacts = new SqlArtifactStore(_database.Database);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task PutAsync_BinaryContent_AddressedBySha256AndReadBackExactly()
    {
        var content = new byte[300_000];
        new Random(42).NextBytes(content);
        content[0] = 0;
        content[^1] = 0xff;

        var address = await _artifacts.PutAsync(content, TestTimeouts.Token());

        address.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(content)));
        address.Size.ShouldBe(300_000);
        (await _artifacts.GetAsync(address.Sha256, TestTimeouts.Token())).ShouldBe(content);
    }

    [Fact]
    public async Task PutAsync_SameContentTwice_StoredOnce()
    {
        var content = "hello artifacts\n"u8.ToArray();

        var first = await _artifacts.PutAsync(content, TestTimeouts.Token());
        var second = await _artifacts.PutAsync(content.AsMemory(), TestTimeouts.Token());
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _artifacts.PutAsync(content.ToArray(), TestTimeouts.Token()))));

        second.ShouldBe(first);
        concurrent.ShouldAllBe(a => a == first);
        (await _database.CountAsync("SELECT COUNT(*) FROM artifacts")).ShouldBe(1);
    }

    [Fact]
    public async Task PutAsync_SliceOfALargerBuffer_StoresOnlyTheSlice()
    {
        var buffer = "xxabcxx"u8.ToArray();

        var address = await _artifacts.PutAsync(buffer.AsMemory(2, 3), TestTimeouts.Token());

        address.Size.ShouldBe(3);
        (await _artifacts.GetAsync(address.Sha256, TestTimeouts.Token())).ShouldBe("abc"u8.ToArray());
    }

    [Fact]
    public async Task PutAsync_Empty_StoredAndReadBackEmpty()
    {
        var address = await _artifacts.PutAsync(ReadOnlyMemory<byte>.Empty, TestTimeouts.Token());

        address.ShouldBe(new Berth.Core.Workflows.Runs.ArtifactRef("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0));
        (await _artifacts.GetAsync(address.Sha256, TestTimeouts.Token())).ShouldBe([]);
    }

    [Fact]
    public async Task GetAsync_Unknown_Null()
    {
        (await _artifacts.GetAsync(new string('0', 64), TestTimeouts.Token())).ShouldBeNull();
    }

    [Fact]
    public async Task GetAsync_AfterReopen_ContentSurvives()
    {
        var address = await _artifacts.PutAsync("durable"u8.ToArray(), TestTimeouts.Token());

        _database.Reopen();

        (await new SqlArtifactStore(_database.Database).GetAsync(address.Sha256, TestTimeouts.Token())).ShouldBe("durable"u8.ToArray());
    }
}

public sealed class SqliteArtifactStoreTests() : ArtifactStoreTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresArtifactStoreTests() : ArtifactStoreTests(StoreEngine.Postgres);
