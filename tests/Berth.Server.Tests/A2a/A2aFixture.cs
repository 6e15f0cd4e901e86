using Berth.Server.Tests.Support;

namespace Berth.Server.Tests.A2a;

/// <summary>
/// One server with two A2A agents running: <see cref="Agent"/> declares <c>a2a: {}</c>; <see cref="Broken"/> declares a card
/// path the agent does not serve, so its card cannot be read (while its real card is still reachable as an ordinary path).
/// </summary>
public sealed class A2aFixture : IAsyncLifetime
{
    internal TestServer Server { get; private set; } = null!;

    internal string Agent { get; } = $"a{Guid.NewGuid():N}"[..12];

    internal string Broken { get; } = $"b{Guid.NewGuid():N}"[..12];

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        foreach (var spec in new[] { A2aAgents.Spec(Agent), A2aAgents.Spec(Broken, "/missing/card.json") })
        {
            using var applied = await Server.ApplyAsync(spec);
            applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync());
        }

        await Server.WaitRunningAsync(Agent);
        await Server.WaitRunningAsync(Broken);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
