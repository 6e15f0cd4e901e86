using Berth.Core.Messaging;
using Berth.Messaging.Tests.Contract;

namespace Berth.Messaging.Tests.Embedded;

/// <summary>The broker contract on the embedded store: a fresh SQLite file per test, restarted by opening the file again.</summary>
public sealed class EmbeddedBrokerContractTests : MessageBrokerContract, IAsyncLifetime
{
    private EmbeddedDatabase? _database;

    public async Task InitializeAsync() => _database = await EmbeddedDatabase.CreateAsync();

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
