using System.Text;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client;
using Berth.Client.Errors;
using Berth.Core.Specs;
using Berth.Testing;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary><c>berth validate</c> and <c>berth apply</c> on spec files that once crashed the CLI, took minutes, or deadlocked agents.</summary>
[Collection(ServerGroup.Name)]
public sealed class HostileSpecCommandTests(ServerFixture server) : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _prefix = $"c{Guid.NewGuid():N}"[..10];

    public void Dispose() => _directory.Dispose();

    private CliHarness Harness()
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path };
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        return harness;
    }

    // Replicas 0: nothing starts, so the tests see only what is stored.
    private static string Agent(string name, params string[] dependsOn) => $"""
        apiVersion: berth/v1
        kind: Agent
        metadata:
          name: {name}
        spec:
          process: {"{"} command: /bin/true {"}"}
          replicas: 0
          dependsOn: [{string.Join(", ", dependsOn)}]

        """;

    private async Task<bool> IsStoredAsync(string name)
    {
        using var client = new BerthClient(new Uri(server.Url)) { Token = server.AdminToken };
        try
        {
            await client.GetAgentAsync(name, TestTimeouts.Token());
            return true;
        }
        catch (BerthApiException exception) when (exception.IsNotFound)
        {
            return false;
        }
    }

    [Fact]
    public async Task Validate_HundredThousandNestedBrackets_IsInvalidNamingTheLimitAndWhere()
    {
        _directory.Write("deep.yaml", "apiVersion: berth/v1\nkind: Agent\nmetadata: { name: deep }\nspec:\n  image: local/echo:1\n  command: " + new string('[', 100_000) + "\n");

        var result = await Harness().RunAsync("validate", "-f", "deep.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain($"deep.yaml:6:{12 + SpecReader.MaximumDepth - 2}:");
        result.Err.ShouldContain($"nesting deeper than {SpecReader.MaximumDepth} levels");
    }

    [Fact]
    public async Task Validate_HundredThousandFiles_IsOneProblemNamingTheLimit()
    {
        var text = new StringBuilder("apiVersion: berth/v1\nkind: Agent\nmetadata: { name: many }\nspec:\n  image: local/echo:1\n  files:\n");
        for (var i = 0; i < 100_000; i++)
        {
            text.Append("    run/f").Append(i).Append(": x\n");
        }

        _directory.Write("many.yaml", text.ToString());

        var result = await Harness().RunAsync("validate", "-f", "many.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("1 problem found");
        result.Err.ShouldContain($"100000 files; at most {AgentSpecValidator.MaximumFiles} are allowed");
    }

    [Fact]
    public async Task Validate_DependsOnCycleInOneFile_NamesTheCycle()
    {
        _directory.Write("cycle.yaml", Agent("a", "b") + "---\n" + Agent("b", "a"));

        var result = await Harness().RunAsync("validate", "-f", "cycle.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("cycle.yaml:17:15:");
        result.Err.ShouldContain("agents/b: spec.dependsOn[0]: dependsOn cycle a → b → a");
    }

    [Fact]
    public async Task Validate_DependsOnCycleAcrossFiles_NamesTheCycle()
    {
        _directory.Write("specs/a.yaml", Agent("a", "b"));
        _directory.Write("specs/b.yaml", Agent("b", "a", "not-yet-defined"));

        var result = await Harness().RunAsync("validate", "-f", "specs");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("dependsOn cycle a → b → a");
    }

    [Fact]
    public async Task Apply_MultiDocumentCycle_IsRefusedAndStoresNothing()
    {
        var (a, b) = ($"{_prefix}-a", $"{_prefix}-b");
        _directory.Write("cycle.yaml", Agent(a, b) + "---\n" + Agent(b, a));

        var result = await Harness().RunAsync("apply", "-f", "cycle.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain($"dependsOn cycle {a} → {b} → {a}");
        (await IsStoredAsync(a)).ShouldBeFalse();
        (await IsStoredAsync(b)).ShouldBeFalse();
    }

    [Fact]
    public async Task Apply_OneAtATime_TheAgentClosingTheCycleIsRefused()
    {
        var (a, b) = ($"{_prefix}-a", $"{_prefix}-b");
        _directory.Write("a.yaml", Agent(a, b));
        _directory.Write("b.yaml", Agent(b, a));
        try
        {
            var first = await Harness().RunAsync("apply", "-f", "a.yaml");
            first.ExitCode.ShouldBe(ExitCodes.Ok, "a dependsOn naming an agent not defined yet stays legal: " + first);

            var second = await Harness().RunAsync("apply", "-f", "b.yaml");

            second.ExitCode.ShouldBe(ExitCodes.Invalid, second.ToString());
            second.Err.ShouldContain($"dependsOn cycle {b} → {a} → {b}");
            (await IsStoredAsync(b)).ShouldBeFalse();
        }
        finally
        {
            await Harness().RunAsync("rm", a, "--yes");
        }
    }
}
