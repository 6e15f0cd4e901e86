using Berth.Server.Tests.Support;

namespace Berth.Server.Tests.Messaging;

/// <summary>A server on the default backend (the embedded broker), shared by a test class.</summary>
public sealed class EmbeddedMessagingServer : IServerFixture, IAsyncLifetime
{
    TestServer IServerFixture.Server => Server;

    internal TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
