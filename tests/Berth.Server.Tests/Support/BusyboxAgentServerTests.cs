using Berth.Testing.Agents;

namespace Berth.Server.Tests.Support;

/// <summary>Tests against a fresh real server (process runtime) and one busybox httpd agent, both removed afterwards.</summary>
public abstract class BusyboxAgentServerTests : IAsyncLifetime
{
    /// <summary>The agent's files and spec.</summary>
    internal BusyboxHttpAgent Agent { get; } = new();

    /// <summary>A unique agent name for the test.</summary>
    protected string Name { get; } = $"b{Guid.NewGuid():N}"[..12];

    /// <summary>The running server.</summary>
    internal TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Agent.Dispose();
    }
}
