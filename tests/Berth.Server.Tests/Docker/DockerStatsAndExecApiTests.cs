using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Client;
using Berth.Client.Errors;
using Berth.Client.Exec;
using Berth.Core.Runtime;
using Berth.Core.Security;
using Berth.Server.Audit;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Docker;

/// <summary><c>/api/v1/agents/{name}/stats</c>, <c>/api/v1/stats</c> and <c>/api/v1/agents/{name}/exec</c> on a real server with a real docker agent.</summary>
[RequiresDocker]
public sealed class DockerStatsAndExecApiTests : IAsyncLifetime
{
    private DockerAgentHarness _h = null!;
    private TestServer _server = null!;
    private string _instanceId = null!;

    private string Name => _h.Name;

    public async Task InitializeAsync()
    {
        _h = await DockerAgentHarness.CreateAsync();
        _server = await _h.StartServerAsync();
        using var applied = await _server.ApplyAsync(_h.EchoSpec());
        applied.EnsureSuccessStatusCode();
        _instanceId = (await _server.WaitRunningAsync(Name)).Instances.Single().Id;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task AgentStats_ViewerToken_AnswersTheDocumentedShapeWithNullsWritten()
    {
        using var viewer = _server.CreateHttp((await TokenRequests.CreateAsync(_server, "viewer")).Token);

        using var response = await viewer.GetAsync($"/api/v1/agents/{Name}/stats", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()));
        var root = document.RootElement;
        root.GetProperty("agent").GetString().ShouldBe(Name);
        var instance = root.GetProperty("instances").EnumerateArray().ShouldHaveSingleItem();
        instance.GetProperty("instanceId").GetString().ShouldBe(_instanceId);
        instance.GetProperty("cpuPercent").ValueKind.ShouldBe(JsonValueKind.Number);
        instance.GetProperty("memoryBytes").GetInt64().ShouldBeGreaterThan(0);
        instance.GetProperty("memoryLimitBytes").ValueKind.ShouldBe(JsonValueKind.Number, "the engine reports the host's memory as the limit of an unlimited container");
        instance.GetProperty("networkRxBytes").GetInt64().ShouldBeGreaterThan(0, "health probes reached it over its network");
        instance.GetProperty("networkTxBytes").GetInt64().ShouldBeGreaterThan(0);
        instance.GetProperty("at").GetString().ShouldEndWith("Z");
    }

    [Fact]
    public async Task AllStats_Client_ListsTheRunningAgent()
    {
        using var client = new BerthClient(_server.Server.Address) { Token = _server.AdminToken };

        var all = await client.GetAllStatsAsync(TestTimeouts.Token());
        var one = await client.GetAgentStatsAsync(Name, TestTimeouts.Token());

        all.Agents.Single(a => a.Agent == Name).Instances.ShouldHaveSingleItem().InstanceId.ShouldBe(_instanceId);
        one.Instances.ShouldHaveSingleItem().MemoryBytes.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Exec_Echo_StreamsStdoutAndStderrThenTheExitCodeAndIsAudited()
    {
        using var client = new BerthClient(_server.Server.Address) { Token = _server.AdminToken };

        await using var connection = await client.OpenExecAsync(Name, new ExecOptions { Command = ["sh", "-c", "echo hello; echo oops >&2; exit 7"] }, TestTimeouts.Token());
        var (stdout, stderr, exit) = await ReadToExitAsync(connection);

        stdout.ShouldBe("hello\n");
        stderr.ShouldBe("oops\n");
        exit.ShouldBe(7);
        var record = await AuditedExecAsync();
        record.Target.ShouldNotBeNull().ShouldContain($"instance={_instanceId}");
        record.Target.ShouldContain("command=sh -c 'echo hello; echo oops >&2; exit 7'");
        record.Principal.ShouldNotBe("anonymous");
    }

    [Fact]
    public async Task Exec_StdinPiped_ReachesTheCommandUntilItsEnd()
    {
        using var client = new BerthClient(_server.Server.Address) { Token = _server.AdminToken };

        await using var connection = await client.OpenExecAsync(Name, new ExecOptions { Command = ["sh", "-c", "tr a-z A-Z; echo done"], Instance = _instanceId }, TestTimeouts.Token());
        await connection.WriteInputAsync(Encoding.UTF8.GetBytes("piped text\n"), TestTimeouts.Token());
        await connection.CloseInputAsync(TestTimeouts.Token());
        var (stdout, _, exit) = await ReadToExitAsync(connection);

        stdout.ShouldBe("PIPED TEXT\ndone\n");
        exit.ShouldBe(0);
    }

    [Fact]
    public async Task Exec_UnknownInstance_IsA404NamingIt()
    {
        using var client = new BerthClient(_server.Server.Address) { Token = _server.AdminToken };

        var refused = await Should.ThrowAsync<BerthApiException>(() =>
            client.OpenExecAsync(Name, new ExecOptions { Command = ["true"], Instance = "nope-0" }, TestTimeouts.Token()));

        refused.Status.ShouldBe(404);
        refused.Detail.ShouldNotBeNull().ShouldContain("no instance 'nope-0'");
    }

    [Fact]
    public async Task Exec_ViewerToken_IsRefusedWith403AndRunsNothing()
    {
        using var client = new BerthClient(_server.Server.Address) { Token = (await TokenRequests.CreateAsync(_server, "viewer")).Token };

        var refused = await Should.ThrowAsync<BerthApiException>(() =>
            client.OpenExecAsync(Name, new ExecOptions { Command = ["touch", "/tmp/viewer-was-here"] }, TestTimeouts.Token()));

        refused.Status.ShouldBe(403);
        using var admin = new BerthClient(_server.Server.Address) { Token = _server.AdminToken };
        await using var check = await admin.OpenExecAsync(Name, new ExecOptions { Command = ["ls", "/tmp/viewer-was-here"] }, TestTimeouts.Token());
        (await ReadToExitAsync(check)).Exit.ShouldNotBe(0, "the viewer's command never ran");
    }

    private async Task<AuditRecord> AuditedExecAsync()
    {
        var services = _server.Server.Services;
        await services.GetRequiredService<AuditLog>().FlushAsync(TestTimeouts.Token());
        var records = await services.GetRequiredService<Core.Storage.IAuditStore>().ListAsync(new AuditQuery { Limit = 100 }, TestTimeouts.Token());
        return records.Single(r => r.Verb == "agents.exec");
    }

    private static async Task<(string Stdout, string Stderr, int? Exit)> ReadToExitAsync(ExecConnection connection)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        while (await connection.ReadAsync(TestTimeouts.Token()) is { } frame)
        {
            switch (frame.Channel)
            {
                case ExecChannel.Stdout:
                    stdout.Write(frame.Data.Span);
                    break;
                case ExecChannel.Stderr:
                    stderr.Write(frame.Data.Span);
                    break;
                case ExecChannel.Exit:
                    return (Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()), frame.ExitCode);
                case ExecChannel.Error:
                    throw new ShouldAssertException($"the session ended with an error: {frame.Error}");
            }
        }

        throw new ShouldAssertException("the connection closed without an exit code");
    }
}
