using System.Net.Http.Json;
using Berth.Core.Agents;
using Berth.Core.Security;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Security;

/// <summary>
/// The review's attack, end to end on a real server: an operator applies a process agent that reads the data directory
/// and reads the result back with the logs API. Confined, the agent gets nothing it could turn into an admin token.
/// </summary>
public sealed class ProcessAgentConfinementTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Apply_OperatorAgentReadsTheDataDirectory_LogsHoldNoTokenKeyOrDatabase()
    {
        var operatorToken = await TokenRequests.CreateAsync(_server, "operator");
        using var asOperator = _server.CreateHttp(operatorToken.Token);
        var name = $"thief{Guid.NewGuid():N}"[..16];
        var data = _server.DataDir;
        var script = $"""
            cat ../../admin.token '{data}/admin.token'; base64 '{data}/{SecretKeySource.FileName}'; head -c 64 '{data}/berth.db' | base64;
            cat '{data}/process'/*/instance.json; cat /proc/{Environment.ProcessId}/environ | tr '\0' '\n';
            echo "uid=$(id -u)"; echo probed; exec sleep 300
            """;
        var spec = new AgentSpec { Name = name, Process = new ProcessSpec { Command = "sh", Args = ["-c", script] } };

        using var applied = await asOperator.PutAsJsonAsync($"/api/v1/agents/{name}", Berth.Core.Specs.SpecDocuments.ToDocument(spec), BerthJson.Options, TestTimeouts.Token());
        applied.EnsureSuccessStatusCode();
        var logs = await WaitForLogsAsync(asOperator, name, "probed");

        logs.ShouldNotContain(_server.AdminToken);
        logs.ShouldNotContain(Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(data, SecretKeySource.FileName))));
        logs.ShouldNotContain("U1FMaXRl", customMessage: "the database's first bytes ('SQLite' in base64)");
        logs.ShouldNotContain("instanceId", Case.Insensitive, "another instance's state file");
        logs.ShouldNotContain("PATH=", customMessage: "the server's environment");
        logs.ShouldContain("Permission denied");
        logs.ShouldNotContain("uid=0");
    }

    private static Task<string> WaitForLogsAsync(HttpClient http, string agent, string marker) =>
        Eventually.MatchAsync(
            async token =>
            {
                var body = await http.GetStringAsync($"/api/v1/agents/{agent}/logs?tail=100", token);

                // one JSON object per line: compare the lines as the agent wrote them, not JSON-escaped
                return string.Join('\n', body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("line").GetString()));
            },
            logs => logs.Contains(marker, StringComparison.Ordinal),
            $"{agent} logged '{marker}'");
}
