using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>The one row of <c>store_identity</c>.</summary>
internal sealed class SqlStoreIdentityStore(StoreDatabase database, TimeProvider timeProvider) : IStoreIdentityStore
{
    public async Task<StoreIdentity> GetOrAddAsync(StoreIdentity proposed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentException.ThrowIfNullOrEmpty(proposed.Id);
        var parameters = new { proposed.Id, proposed.KeyCheck, Now = StoredTime.Format(timeProvider.GetUtcNow()) };
        return await database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO store_identity (id, store_id, key_check, created_at) VALUES (1, @Id, @KeyCheck, @Now) ON CONFLICT (id) DO NOTHING",
                parameters, transaction, cancellationToken: cancellationToken));
            var row = await connection.QuerySingleAsync<IdentityRow>(new CommandDefinition(
                "SELECT store_id AS StoreId, key_check AS KeyCheck FROM store_identity WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken));
            return new StoreIdentity(row.StoreId, row.KeyCheck);
        }, cancellationToken);
    }

    public async Task ReplaceKeyCheckAsync(byte[] keyCheck, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyCheck);
        var updated = await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
                "UPDATE store_identity SET key_check = @KeyCheck WHERE id = 1", new { KeyCheck = keyCheck }, transaction, cancellationToken: cancellationToken)),
            cancellationToken);
        if (updated == 0)
        {
            throw new InvalidOperationException("the store has no identity yet; GetOrAddAsync writes it first");
        }
    }

    private sealed class IdentityRow
    {
        public string StoreId { get; init; } = "";

        public byte[] KeyCheck { get; init; } = [];
    }
}
