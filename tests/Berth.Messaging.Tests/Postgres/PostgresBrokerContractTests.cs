using Berth.Core.Messaging;
using Berth.Messaging.Tests.Contract;
using Berth.Messaging.Tests.Embedded;
using Berth.Testing;

namespace Berth.Messaging.Tests.Postgres;

/// <summary>
/// The broker contract on the embedded broker over PostgreSQL: a fresh database per test on the scratch server, restarted
/// by opening the same database through a new connection pool.
/// </summary>
[RequiresPostgres]
public sealed class PostgresBrokerContractTests : MessageBrokerContract, IAsyncLifetime
{
    private EmbeddedDatabase? _database;

    public async Task InitializeAsync() => _database = await EmbeddedDatabase.CreateAsync(StoreEngine.Postgres);

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override Task<IMessageBroker> CreateBrokerAsync() => Task.FromResult<IMessageBroker>(_database!.OpenBroker());

    protected override Task<IMessageBroker> RestartAsync(IMessageBroker broker) => Task.FromResult<IMessageBroker>(_database!.Reopen());
}
