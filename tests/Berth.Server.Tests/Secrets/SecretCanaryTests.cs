using System.Net.Http.Headers;
using System.Text;
using Berth.Client.Contracts;
using Berth.Core.Specs;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Secrets;

/// <summary>
/// The secret canary: a unique value reaches the agent that references it, and appears in nothing Berth itself produces:
/// no API answer, event, instance record, log line of the server, or byte of its database and state files. The agent's
/// own output (its log files and the logs endpoint that serves them) is the agent's business and is excluded.
/// </summary>
public sealed class SecretCanaryTests : IAsyncLifetime
{
    private readonly string _secret = $"canary.{Guid.NewGuid():N}"[..20];
    private readonly string _value = $"canary-value-{Guid.NewGuid():N}";
    private readonly string _agent = $"c{Guid.NewGuid():N}"[..12];
    private TestServer _server = null!;
    private LogCapture _logs = null!;

    public async Task InitializeAsync() => (_server, _logs) = await SecretsTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    [SqliteOnly]
    public async Task Canary_AgentEchoesTheSecretAndFails_ValueReachesItAndLeaksNowhere()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(_value));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        (await _server.Http.PutAsync($"/api/v1/secrets/{_secret}", content, TestTimeouts.Token())).EnsureSuccessStatusCode();
        var spec = new AgentSpec
        {
            Name = _agent,
            Process = new ProcessSpec
            {
                Command = "/bin/sh",
                Args = ["-c", "echo \"$API_KEY\"; echo \"key=$API_KEY\" >&2; echo \"file=$(cat \"$BERTH_FILES_DIR/keys/api\")\"; exit 1"],
            },
            Env = new Dictionary<string, string> { ["API_KEY"] = $"${{secret:{_secret}}}" },
            Files = new Dictionary<string, string> { ["keys/api"] = $"${{secret:{_secret}}}" },
            Restart = new RestartSpec { MaxBackoff = TimeSpan.FromSeconds(1) },
        };
        (await _server.ApplyAsync(spec)).EnsureSuccessStatusCode();

        var view = await _server.WaitForAsync(_agent, v => v.Instances.Any(i => i.RestartCount >= 3));
        var output = await AgentOutputAsync();
        output.ShouldContain(_value, customMessage: "the agent never received the secret's value");
        output.ShouldContain($"file={_value}", customMessage: "the agent never received the secret's file");
        view.Spec.Env["API_KEY"].ShouldBe($"${{secret:{_secret}}}");
        view.Spec.Files["keys/api"].ShouldBe($"${{secret:{_secret}}}");

        var answers = new List<string>();
        foreach (var path in new[]
        {
            "/api/v1/agents", $"/api/v1/agents/{_agent}", $"/api/v1/agents/{_agent}/events?limit=1000", "/api/v1/secrets",
            "/readyz", "/openapi/v1.json", "/api/v1/agents/no-such-agent", $"/api/v1/agents/{_agent}/events?limit=0",
        })
        {
            using var response = await _server.Http.GetAsync(path, TestTimeouts.Token());
            answers.Add($"{path} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestTimeouts.Token())}");
        }

        answers.ShouldAllBe(a => !a.Contains(_value, StringComparison.Ordinal));
        answers[2].ShouldContain("Restarted", customMessage: "the events endpoint should have been searched with restarts in it");
        _logs.Entries.Count.ShouldBeGreaterThan(0);
        _logs.Text.ShouldNotContain(_value);
        foreach (var file in BerthFiles())
        {
            // SQLite removes its -wal and -shm files when its last connection closes: one listed a moment ago may be gone.
            if (await ReadSharedIfPresentAsync(file) is not { } bytes)
            {
                continue;
            }

            bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(_value)).ShouldBe(-1, $"{file} holds the secret's plain value");
        }

        BerthFiles().ShouldContain(f => f.EndsWith("berth.db", StringComparison.Ordinal));
        var agentOutput = Directory.EnumerateFiles(_server.DataDir, "stdout.log", SearchOption.AllDirectories).ToList();
        var found = (await Task.WhenAll(agentOutput.Select(ReadSharedAsync))).Count(b => b.AsSpan().IndexOf(Encoding.UTF8.GetBytes(_value)) >= 0);
        found.ShouldBeGreaterThan(0, "the byte search must find the value where it legitimately is: the agent's own output");

        // the file lives in memory, outside the data directory, and goes with the agent
        var files = $"/dev/shm/berth-{(await File.ReadAllTextAsync(Path.Combine(_server.DataDir, "server-id"), TestTimeouts.Token())).Trim()}";
        new DriveInfo(files).DriveFormat.ShouldBe("tmpfs");
        Directory.EnumerateFiles(files, "api", SearchOption.AllDirectories).ShouldNotBeEmpty();
        using var removed = await _server.Http.DeleteAsync($"/api/v1/agents/{_agent}?wait=30s", TestTimeouts.Token());
        removed.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        Directory.EnumerateFiles(files, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    private async Task<string> AgentOutputAsync()
    {
        using var response = await _server.Http.GetAsync($"/api/v1/agents/{_agent}/logs?tail=100", TestTimeouts.Token());
        return await response.Content.ReadAsStringAsync(TestTimeouts.Token());
    }

    // Everything in the data directory but the agent's own output (stdout/stderr logs and their time indexes) and the server's
    // lock, which is always empty and cannot be opened while the server holds it.
    private IEnumerable<string> BerthFiles() =>
        Directory.EnumerateFiles(_server.DataDir, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith("stdout.", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith("stderr.", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) != Core.Storage.DataDirectoryLock.FileName);

    private static async Task<byte[]?> ReadSharedIfPresentAsync(string path)
    {
        try
        {
            return await ReadSharedAsync(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, TestTimeouts.Token());
        return copy.ToArray();
    }
}
