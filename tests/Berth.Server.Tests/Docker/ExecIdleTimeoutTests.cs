using Berth.Client;
using Berth.Client.Exec;
using Berth.Core.Runtime;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Docker;

/// <summary>An exec session in which nothing moves is closed after <c>Berth:Exec:IdleTimeout</c>, saying why.</summary>
[RequiresDocker]
public sealed class ExecIdleTimeoutTests : IAsyncLifetime
{
    private DockerAgentHarness _h = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _h = await DockerAgentHarness.CreateAsync();
        _server = await _h.StartServerAsync("--Berth:Exec:IdleTimeout=2s");
        using var applied = await _server.ApplyAsync(_h.EchoSpec());
        applied.EnsureSuccessStatusCode();
        await _server.WaitRunningAsync(_h.Name);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Exec_SilentCommand_IsClosedWithAnIdleErrorNamingTheSetting()
    {
        using var client = new BerthClient(_server.Server.Address) { Token = _server.AdminToken };
        await using var connection = await client.OpenExecAsync(_h.Name, new ExecOptions { Command = ["sleep", "120"] }, TestTimeouts.Token());

        var frame = await connection.ReadAsync(TestTimeouts.Token());

        frame.ShouldNotBeNull("the server sends why it ends the session before closing it");
        frame.Value.Channel.ShouldBe(ExecChannel.Error);
        frame.Value.Error.ShouldNotBeNull().Type.ShouldBe("urn:berth:problem:exec-idle");
        frame.Value.Error.Detail.ShouldContain("Berth:Exec:IdleTimeout");
        (await connection.ReadAsync(TestTimeouts.Token())).ShouldBeNull("the socket is closed after the error");
    }
}
