using Berth.Core.Messaging;
using Berth.Messaging.RabbitMq;
using Berth.Messaging.Tests.Contract;
using Berth.Testing;

namespace Berth.Messaging.Tests.RabbitMq;

/// <summary>
/// The broker contract on RabbitMQ: the test server shared by every test (each declares its own names, and the harness
/// removes its queues and exchanges), a fresh SQLite file per test for the bookkeeping. A restart closes the old broker's
/// connection, which RabbitMQ treats as a crash would be: its unacked deliveries go back to their queues.
/// </summary>
[RequiresRabbitMq]
[Collection(RabbitMqServerGroup.Name)]
public sealed class RabbitMqBrokerContractTests : MessageBrokerContract, IAsyncLifetime
{
    private RabbitMqHarness? _harness;

    public async Task InitializeAsync() => _harness = await RabbitMqHarness.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Slow);
        }
    }

    protected override Task<IMessageBroker> CreateBrokerAsync() => Task.FromResult<IMessageBroker>(_harness!.OpenBroker());

    protected override async Task<IMessageBroker> RestartAsync(IMessageBroker broker) =>
        await _harness!.RestartAsync((RabbitMqMessageBroker)broker);
}
