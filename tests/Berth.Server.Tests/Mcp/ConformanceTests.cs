using System.Text.Json;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Xunit.Abstractions;

namespace Berth.Server.Tests.Mcp;

/// <summary>
/// The official MCP conformance suite (<c>@modelcontextprotocol/conformance</c>, tests/mcp-js) against a real server's
/// <c>/mcp</c>, through <see cref="HeaderAddingRelay"/> so authentication stays on. Every check of every scenario below must
/// pass, except the few named in <see cref="ExpectedFailures"/> with the reason. Each run's <c>checks.json</c> is kept under
/// <c>TestResults/mcp-conformance/</c> with a one-line summary per scenario that scripts/test.sh prints.
/// </summary>
public sealed class ConformanceTests(SharedServerFixture fixture, ITestOutputHelper output) : IClassFixture<SharedServerFixture>
{
    /// <summary>The scenarios that apply to a server other than the suite's own test server (which has test_* tools).</summary>
    public static TheoryData<string> Scenarios =>
    [
        "server-initialize", "server-session-lifecycle", "server-stateless", "ping", "logging-set-level", "tools-list",
        "resources-list", "prompts-list", "dns-rebinding-protection", "http-header-validation", "caching",
        "server-sse-multiple-streams", "sep-2164-resource-not-found",
    ];

    /// <summary>Checks that fail for a reason outside Berth's MCP setup, by scenario and check id.</summary>
    private static readonly Dictionary<(string Scenario, string Check), string> ExpectedFailures = new()
    {
        [("server-stateless", "sep-2575-server-rejects-undeclared-capability")] = "needs the suite's own test_missing_capability tool",
        [("server-stateless", "sep-2575-missing-capability-http-400")] = "needs the suite's own test_missing_capability tool",
        [("server-stateless", "sep-2575-http-server-no-independent-requests-on-stream")] = "needs the suite's own test_streaming_elicitation tool",
        [("server-stateless", "sep-2575-server-no-log-without-loglevel")] = "needs the suite's own test_logging_tool tool",
        [("server-stateless", "sep-2575-server-unsupported-version-error")] =
            "ModelContextProtocol.AspNetCore 2.4.0 lists all five versions in UnsupportedProtocolVersionError but only 2026-07-28 in server/discover; not configurable",
    };

    private static readonly string ResultsDirectory = Path.Combine(Repository.Root, "TestResults", "mcp-conformance");

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_AgainstBerthThroughItsTokens_EveryApplicableCheckPasses(string scenario)
    {
        var server = fixture.Server;
        await using var relay = await HeaderAddingRelay.StartAsync(server.Server.Address, server.AdminToken, TestTimeouts.Token());
        var runDirectory = Directory.CreateDirectory(Path.Combine(ResultsDirectory, "runs")).FullName;
        var before = Directory.GetDirectories(runDirectory).ToHashSet();

        var run = await McpJsProcess.RunAsync(
            ["node_modules/@modelcontextprotocol/conformance/dist/index.js", "server", "--url", new Uri(relay.Address, "/mcp").AbsoluteUri, "--scenario", scenario, "-o", runDirectory],
            new Dictionary<string, string> { ["NO_COLOR"] = "1" },
            TestTimeouts.Token(TestTimeouts.Slow));

        var checksFile = Directory.GetDirectories(runDirectory).Except(before).Select(d => Path.Combine(d, "checks.json")).SingleOrDefault(File.Exists);
        checksFile.ShouldNotBeNull($"the suite wrote no checks.json for {scenario}: {run}");
        var checks = JsonDocument.Parse(await File.ReadAllTextAsync(checksFile, TestTimeouts.Token())).RootElement.EnumerateArray()
            .Select(c => (Id: c.GetProperty("id").GetString()!, Status: c.GetProperty("status").GetString()!, Error: c.TryGetProperty("errorMessage", out var e) ? e.GetString() : null))
            .ToList();
        var failed = checks.Where(c => c.Status == "FAILURE").ToList();
        var unexpected = failed.Where(c => !ExpectedFailures.ContainsKey((scenario, c.Id))).ToList();
        var nowPassing = ExpectedFailures.Keys.Where(k => k.Scenario == scenario && checks.Any(c => c.Id == k.Check && c.Status == "SUCCESS")).ToList();
        var summary = $"{scenario}: {checks.Count(c => c.Status == "SUCCESS")} passed, {failed.Count} failed ({failed.Count - unexpected.Count} expected), " +
            $"{checks.Count(c => c.Status == "WARNING")} warnings, {checks.Count(c => c.Status == "SKIPPED")} skipped";
        await File.WriteAllTextAsync(Path.Combine(ResultsDirectory, $"{scenario}.txt"), summary + "\n", TestTimeouts.Token());
        output.WriteLine(summary);
        foreach (var check in failed)
        {
            output.WriteLine($"  FAILURE {check.Id}: {check.Error} {(ExpectedFailures.TryGetValue((scenario, check.Id), out var why) ? $"[expected: {why}]" : "")}");
        }

        checks.ShouldNotBeEmpty(run.ToString());
        unexpected.ShouldBeEmpty(string.Join('\n', unexpected.Select(c => $"{c.Id}: {c.Error}")));
        nowPassing.ShouldBeEmpty("an expected failure that passes is a stale excuse: remove it from ExpectedFailures");
    }
}
