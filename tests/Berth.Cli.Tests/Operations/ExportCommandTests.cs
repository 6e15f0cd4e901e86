using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;

namespace Berth.Cli.Tests.Operations;

/// <summary><c>berth export</c> against a real server: what it writes, <c>berth apply</c> takes back unchanged.</summary>
[Collection(ServerGroup.Name)]
public sealed class ExportCommandTests(ServerFixture server) : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _name = $"x{Guid.NewGuid():N}"[..12];
    private readonly string _secretValue = $"canary-{Guid.NewGuid():N}";

    public void Dispose() => _directory.Dispose();

    private string Secret => _name + "-key";

    private CliHarness Harness(string stdin = "")
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path, Stdin = stdin };
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        harness.Environment["GREETING"] = "hello from the environment";
        return harness;
    }

    private async Task<CliResult> RunOkAsync(params string[] args)
    {
        var result = await Harness().RunAsync(args);
        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        return result;
    }

    /// <summary>One of each kind apply takes: a topic, an agent with a secret reference and a substituted variable, a subscription and a workflow.</summary>
    private async Task ApplyEveryKindAsync()
    {
        (await Harness(stdin: _secretValue).RunAsync("secrets", "set", Secret)).ExitCode.ShouldBe(ExitCodes.Ok);
        _directory.Write("www/health", "ok\n");
        _directory.Write("all.yaml", $$"""
            apiVersion: berth/v1
            kind: Topic
            metadata:
              name: {{_name}}-events
            spec:
              ordering: key
              maxDeliveries: 4
            ---
            apiVersion: berth/v1
            kind: Agent
            metadata:
              name: {{_name}}
            spec:
              process:
                command: /bin/busybox
                args: ["httpd", "-f", "-p", "127.0.0.1:$(PORT)", "-h", "www"]
                workingDir: .
              env:
                API_KEY: ${secret:{{Secret}}}
                GREETING: ${GREETING}
                LITERAL: "costs $${PRICE} and is 'quoted': yes"
              health:
                path: /health
                interval: 30s
              restart:
                policy: on-failure
            ---
            apiVersion: berth/v1
            kind: Subscription
            metadata:
              name: {{_name}}-worker
            spec:
              topic: {{_name}}-events
            ---
            apiVersion: berth/v1
            kind: Workflow
            metadata:
              name: {{_name}}-flow
            spec:
              inputs:
                text: { type: string, required: true }
              steps:
                - id: ask
                  agent: { name: {{_name}}, method: POST, path: /cgi-bin/x, body: { text: "EXPRESSION" } }
                  timeout: 30s
            """.Replace("EXPRESSION", "${{ inputs.text }}", StringComparison.Ordinal));
        await RunOkAsync("apply", "-f", "all.yaml");
    }

    private async Task RemoveEverythingAsync()
    {
        await Harness().RunAsync("workflows", "rm", _name + "-flow", "--yes");
        await Harness().RunAsync("subscriptions", "rm", _name + "-worker", "--yes");
        await Harness().RunAsync("rm", _name, "--yes");
        await Harness().RunAsync("topics", "rm", _name + "-events", "--yes");
        await Harness().RunAsync("secrets", "rm", Secret, "--yes");
    }

    private string[] Targets => [$"topic/{_name}-events", _name, $"subscription/{_name}-worker", $"workflow/{_name}-flow"];

    [Fact]
    public async Task Export_EveryKind_ApplyTakesItBackUnchangedAndASecondExportIsByteIdentical()
    {
        try
        {
            await ApplyEveryKindAsync();

            var export = await RunOkAsync(["export", .. Targets, "-o", "exported.yaml"]);
            var first = await File.ReadAllTextAsync(Path.Combine(_directory.Path, "exported.yaml"));
            var reapplied = await RunOkAsync("apply", "-f", "exported.yaml");
            await RunOkAsync(["export", .. Targets, "-o", "again.yaml"]);
            var second = await File.ReadAllTextAsync(Path.Combine(_directory.Path, "again.yaml"));

            export.Err.ShouldContain("wrote 4 specs to");
            reapplied.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(
                [$"topic/{_name}-events unchanged", $"agent/{_name} unchanged", $"subscription/{_name}-worker unchanged", $"workflow/{_name}-flow unchanged"]);
            second.ShouldBe(first);
            first.ShouldContain($"API_KEY: ${{secret:{Secret}}}", customMessage: "the secret stays a reference");
            first.ShouldNotContain(_secretValue);
            first.ShouldContain("GREETING: hello from the environment", customMessage: "a substituted variable is exported as its value");
            first.ShouldContain("$${PRICE}", customMessage: "a literal ${ stays escaped so apply does not substitute it");
            first.ShouldContain("${{ inputs.text }}");
            first.ShouldContain($"workingDir: {_directory.Path}", customMessage: "relative paths are exported as the absolute ones apply resolved");
        }
        finally
        {
            await RemoveEverythingAsync();
        }
    }

    [Fact]
    public async Task Export_OneAgentAsJson_GoesToStdoutAndAppliesUnchanged()
    {
        try
        {
            await ApplyEveryKindAsync();

            var json = await RunOkAsync("export", _name, "--format", "json");
            _directory.Write("agent.json", json.Out);
            var reapplied = await RunOkAsync("apply", "-f", "agent.json");

            json.Out.ShouldStartWith("{\n  \"apiVersion\": \"berth/v1\",\n  \"kind\": \"Agent\"");
            json.Out.ShouldNotContain(_secretValue);
            reapplied.Out.Trim().ShouldBe($"agent/{_name} unchanged");
        }
        finally
        {
            await RemoveEverythingAsync();
        }
    }

    [Fact]
    public async Task ExportAll_HoldsEveryKindInApplyOrderAndNoSecretValue()
    {
        try
        {
            await ApplyEveryKindAsync();

            var first = await RunOkAsync("export", "--all");
            var second = await RunOkAsync("export", "--all");

            second.Out.ShouldBe(first.Out);
            first.Out.ShouldNotContain(_secretValue);
            var topic = first.Out.IndexOf($"name: {_name}-events\n", StringComparison.Ordinal);
            var agent = first.Out.IndexOf($"name: {_name}\n", StringComparison.Ordinal);
            var subscription = first.Out.IndexOf($"name: {_name}-worker\n", StringComparison.Ordinal);
            var workflow = first.Out.IndexOf($"name: {_name}-flow\n", StringComparison.Ordinal);
            new[] { topic, agent, subscription, workflow }.ShouldAllBe(i => i >= 0, first.Out);
            (topic < agent && agent < subscription && subscription < workflow).ShouldBeTrue("topics, agents, subscriptions, workflows: the order apply applies them");
        }
        finally
        {
            await RemoveEverythingAsync();
        }
    }

    [Theory]
    [InlineData(new[] { "export" }, "pass an agent's NAME, KIND/NAME, or --all")]
    [InlineData(new[] { "export", "web", "--all" }, "pass names or --all, not both")]
    [InlineData(new[] { "export", "plugin/p" }, "unknown kind 'plugin'")]
    [InlineData(new[] { "export", "agent/" }, "is not a resource to export")]
    public async Task Export_BadCommandLine_ExitsUsageSayingWhy(string[] args, string message)
    {
        var result = await Harness().RunAsync(args);

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain(message);
    }

    [Fact]
    public async Task Export_UnknownWorkflow_ExitsNotFoundNamingIt()
    {
        var result = await Harness().RunAsync("export", "workflow/no-such-flow");

        result.ExitCode.ShouldBe(ExitCodes.NotFound, result.ToString());
        result.Err.ShouldContain("workflow/no-such-flow not found");
    }
}
