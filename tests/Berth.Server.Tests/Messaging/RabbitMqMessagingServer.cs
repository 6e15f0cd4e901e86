using Berth.Server.Tests.Support;

namespace Berth.Server.Tests.Messaging;

/// <summary>
/// A server whose messages live in RabbitMQ (<c>BERTH_TEST_RABBITMQ_URL</c>, else the local server scripts/test.sh starts),
/// shared by a test class. Each test declares names of its own, so runs do not see each other's queues.
/// </summary>
public sealed class RabbitMqMessagingServer : IServerFixture, IAsyncLifetime
{
    private static readonly string Url = Environment.GetEnvironmentVariable("BERTH_TEST_RABBITMQ_URL") is { Length: > 0 } url
        ? url
        : "amqp://guest:guest@127.0.0.1:5672/";

    TestServer IServerFixture.Server => Server;

    internal TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await TestServer.StartAsync(extraArgs: ["--Berth:Messaging:Backend=rabbitmq", $"--Berth:Messaging:RabbitMq:Url={Url}"]);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
