using Berth.Testing;

namespace Berth.Server.Tests.Support;

/// <summary>One server for a whole test class, for classes whose tests each use names of their own: a start costs more than most of their tests.</summary>
public sealed class SharedServerFixture : IAsyncLifetime
{
    internal TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
