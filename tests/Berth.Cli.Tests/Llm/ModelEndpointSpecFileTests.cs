using Berth.Cli.Tests.Infrastructure;

namespace Berth.Cli.Tests.Llm;

/// <summary><c>kind: ModelEndpoint</c> documents in <c>berth validate -f</c> and <c>berth apply -f</c>, without a server.</summary>
public sealed class ModelEndpointSpecFileTests : IDisposable
{
    internal const string OpenAI = """
        apiVersion: berth/v1
        kind: ModelEndpoint
        metadata: { name: openai }
        spec:
          provider: openai
          baseUrl: https://api.openai.com/v1
          apiKey: ${secret:OPENAI_KEY}
          models: [gpt-4o-mini, { name: gpt-4o, alias: smart }]
          prices:
            gpt-4o-mini: { input: 0.15, cachedInput: 0.075, output: 0.6 }
        """;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private CliHarness Harness()
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path };
        harness.Environment["BERTH_URL"] = $"http://127.0.0.1:{UnusedPort.Get()}";
        harness.Environment["BERTH_TOKEN"] = "unused";
        return harness;
    }

    [Fact]
    public async Task Validate_ModelEndpoint_CountsIt()
    {
        _directory.Write("openai.yaml", OpenAI);

        var result = await Harness().RunAsync("validate", "-f", "openai.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Out.Trim().ShouldBe("valid: 0 agents, 0 workflows, 1 model endpoint");
    }

    [Fact]
    public async Task Validate_RelativeBaseUrl_NamesTheFieldWithItsFileAndLine()
    {
        _directory.Write("bad.yaml", OpenAI.Replace("https://api.openai.com/v1", "api.openai.com/v1", StringComparison.Ordinal));

        var result = await Harness().RunAsync("validate", "-f", "bad.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("bad.yaml:6:12: spec.baseUrl: 'api.openai.com/v1' is not valid");
    }

    [Fact]
    public async Task Validate_SameEndpointInTwoFiles_IsInvalidNamingBoth()
    {
        _directory.Write("a.yaml", OpenAI);
        _directory.Write("b.yaml", OpenAI);

        var result = await Harness().RunAsync("validate", "-f", "a.yaml", "-f", "b.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("modelendpoint 'openai' is defined more than once (in a.yaml and b.yaml)");
    }

    [Fact]
    public async Task Apply_InvalidEndpointBesideAValidTopic_AppliesNothing()
    {
        const string Topic = """
            apiVersion: berth/v1
            kind: Topic
            metadata: { name: orders }
            spec:
              ordering: key
            """;
        _directory.Write("mixed.yaml", Topic + "\n---\n" + OpenAI.Replace("apiKey: ${secret:OPENAI_KEY}", "apiKey: sk-plain-text-key", StringComparison.Ordinal));

        var result = await Harness().RunAsync("apply", "-f", "mixed.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("spec.apiKey");
        result.Err.ShouldContain("nothing was applied");
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Usage_UnknownGrouping_ExitsUsageNamingTheAcceptedOnes()
    {
        var result = await Harness().RunAsync("usage", "--by", "week");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("--by must be one of agent, model, run, workflow, day, endpoint, got 'week'");
    }

    [Fact]
    public async Task Usage_BadSince_ExitsUsageBeforeAnyRequest()
    {
        var result = await Harness().RunAsync("usage", "--since", "last week");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("--since must be");
    }
}
