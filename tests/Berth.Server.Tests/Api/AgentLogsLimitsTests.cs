using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Api;

/// <summary>Reading logs costs the server what it returns, whatever a caller asks for.</summary>
public sealed class AgentLogsLimitsTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Logs_TailAboveTheLimit_Returns400NamingTheLimit()
    {
        var name = $"tail-{Guid.NewGuid():N}"[..16];
        using var created = await _server.ApplyAsync(new AgentSpec { Name = name, Process = new ProcessSpec { Command = "/bin/sleep", Args = ["60"] } });

        using var response = await _server.Http.GetAsync($"/api/v1/agents/{name}/logs?tail=2147483647", TestTimeouts.Token());
        var problem = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        problem.ShouldContain("tail");
        problem.ShouldContain(LogQuery.MaxTail.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Logs_LargestTailOnALargeLog_ReturnsNoMoreThanTheByteLimit()
    {
        // 40 MB of 1000-byte lines: 10,000 of them would be 10 MB.
        var name = $"big-{Guid.NewGuid():N}"[..16];
        var script = "yes \"$(printf '%01000d' 7)\" 2>/dev/null | head -n 40000; echo written; sleep 300";
        using (var created = await _server.ApplyAsync(new AgentSpec { Name = name, Process = new ProcessSpec { Command = "sh", Args = ["-c", script] } }))
        {
            created.IsSuccessStatusCode.ShouldBeTrue();
        }

        await WaitForLastLineAsync(name, "written");

        var lines = await ReadLinesAsync($"/api/v1/agents/{name}/logs?tail={LogQuery.MaxTail}");

        lines.Count.ShouldBeLessThan(LogQuery.MaxTail);
        lines.Sum(l => Encoding.UTF8.GetByteCount(l)).ShouldBeLessThanOrEqualTo(LogQuery.MaxTailBytes);
        lines[^1].ShouldBe("written");
    }

    private Task<List<string>> WaitForLastLineAsync(string name, string line) =>
        Eventually.MatchAsync(_ => ReadLinesAsync($"/api/v1/agents/{name}/logs?tail=1"), lines => lines is [var last] && last == line, $"{name} logged '{line}'");

    private async Task<List<string>> ReadLinesAsync(string path)
    {
        var body = await _server.Http.GetStringAsync(path, TestTimeouts.Token());
        return [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("line").GetString()!)];
    }
}
