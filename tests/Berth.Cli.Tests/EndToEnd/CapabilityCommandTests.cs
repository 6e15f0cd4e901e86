using System.Text.Json;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Testing;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary><c>berth capabilities</c> and <c>berth call --capability</c> against a real server with two process agents declaring one capability.</summary>
[Collection(ServerGroup.Name)]
public sealed class CapabilityCommandTests(ServerFixture server) : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly string _capability = $"cap-{Guid.NewGuid():N}"[..12];
    private readonly string _a = $"ca{Guid.NewGuid():N}"[..12];
    private readonly string _b = $"cb{Guid.NewGuid():N}"[..12];

    public async Task InitializeAsync()
    {
        foreach (var (name, version) in new[] { (_a, "1.0.0"), (_b, "2.0.0") })
        {
            var file = WriteAgent(name, version);
            var applied = await Harness().RunAsync("apply", "-f", Path.GetFileName(file), "--wait", "--timeout", "60s");
            applied.ExitCode.ShouldBe(ExitCodes.Ok, applied.ToString());
        }
    }

    public async Task DisposeAsync()
    {
        await Harness().RunAsync("rm", _a, "--yes");
        await Harness().RunAsync("rm", _b, "--yes");
        _directory.Dispose();
    }

    [Fact]
    public async Task CapabilitiesLsAndDescribe_TwoProviders_ShowVersionsAndHealth()
    {
        // Declarations are re-read at most once a second: wait for the table to count both.
        var table = await Eventually.MatchAsync(
            ct => Harness().RunAsync(["capabilities", "ls"], ct),
            r => r.Out.Split('\n').Any(line => line.Contains(_capability) && line.Contains("1.0.0, 2.0.0") && line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^2..] is ["2", "2"]),
            "both providers listed healthy");
        var describe = await Harness().RunAsync("capabilities", "describe", _capability, "-o", "json");
        var text = await Harness().RunAsync("capabilities", "describe", _capability);

        table.Out.ShouldContain("PROVIDERS");
        describe.ExitCode.ShouldBe(ExitCodes.Ok, describe.ToString());
        var detail = JsonSerializer.Deserialize<CapabilityDetail>(describe.Out, BerthJson.Options)!;
        detail.Providers.Select(p => (p.Provider, p.Version, p.Health)).ShouldBe([($"agent:{_a}", "1.0.0", "healthy"), ($"agent:{_b}", "2.0.0", "healthy")]);
        text.Out.Split('\n').ShouldContain(line => line.Contains($"agent:{_a}") && line.Contains("healthy") && line.Contains("closed"));
    }

    [Fact]
    public async Task CallCapability_OneProviderStopped_ServedByTheOtherAndSaysWhich()
    {
        var first = await Eventually.MatchAsync(
            ct => Harness().RunAsync(["call", "--capability", _capability, "/who.txt"], ct), r => r.ExitCode == ExitCodes.Ok, "a first call served");
        var stopped = await Harness().RunAsync("stop", _a);
        stopped.ExitCode.ShouldBe(ExitCodes.Ok, stopped.ToString());

        var results = new List<CliResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await Harness().RunAsync("call", "--capability", _capability, "/who.txt"));
        }

        first.Err.ShouldContain("served by agent:");
        results.ShouldAllBe(r => r.ExitCode == ExitCodes.Ok && r.Out == $"{_b}\n" && r.Err.Contains($"served by agent:{_b}"));
    }

    [Fact]
    public async Task CallCapability_NobodyDeclaresIt_FailsNamingIt()
    {
        var result = await Harness().RunAsync("call", "--capability", "no-such-capability", "/");

        result.ExitCode.ShouldBe(ExitCodes.Failure, result.ToString());
        result.Err.ShouldContain("404");
        result.Out.ShouldContain("No agent declares capability 'no-such-capability'");
    }

    [Fact]
    public async Task Call_NameAndCapabilityBoth_IsAUsageError()
    {
        var both = await Harness().RunAsync("call", _a, "/who.txt", "--capability", _capability);
        var neither = await Harness().RunAsync("call");

        both.ExitCode.ShouldBe(ExitCodes.Usage, both.ToString());
        both.Err.ShouldContain("not both");
        neither.ExitCode.ShouldBe(ExitCodes.Usage, neither.ToString());
        neither.Err.ShouldContain("--capability");
    }

    [Fact]
    public async Task CapabilitiesDescribe_Unknown_NotFoundNamingIt()
    {
        var result = await Harness().RunAsync("capabilities", "describe", "no-such-capability");

        result.ExitCode.ShouldNotBe(ExitCodes.Ok);
        result.Err.ShouldContain("'no-such-capability'");
    }

    private CliHarness Harness()
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path };
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        return harness;
    }

    private string WriteAgent(string name, string version)
    {
        _directory.Write($"{name}/health", "ok\n");
        _directory.Write($"{name}/who.txt", $"{name}\n");
        return _directory.Write($"{name}.yaml", $"""
            apiVersion: berth/v1
            kind: Agent
            metadata:
              name: {name}
            spec:
              process:
                command: /bin/busybox
                args: ["httpd", "-f", "-p", "127.0.0.1:$(PORT)", "-h", "{name}"]
                workingDir: .
              health:
                path: /health
                interval: 1s
                timeout: 1s
              capabilities:
                - name: {_capability}
                  version: {version}
                  description: says who it is
            """);
    }
}
