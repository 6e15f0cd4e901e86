using System.Text.Json;
using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client.Contracts;
using Berth.Core.Plugins;
using Berth.Core.Serialization;
using Berth.Testing;

namespace Berth.Cli.Tests.Plugins;

/// <summary><c>berth plugins invoke</c> and <c>berth plugins invocations</c> against a real server and the text-analysis process plugin.</summary>
[Collection(ServerGroup.Name)]
public sealed class PluginInvokeCommandTests(ServerFixture server) : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _id = $"ta-{Guid.NewGuid():N}"[..15];

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Invoke_InputsFromPairsAndAFile_PrintsTheOutputsAndTheCallsAreListed()
    {
        await InstallAsync();
        try
        {
            File.WriteAllText(Path.Combine(_directory.Path, "inputs.json"), """{"text": "one two three", "test": {"fail": "never read"}}""");

            var table = await Harness().RunAsync("plugins", "invoke", _id, "--input", "text=hello big world");
            var json = await Harness().RunAsync("plugins", "invoke", $"{_id}@^1", "-f", "inputs.json", "--input", "test:={}", "-o", "json");
            var listed = await Harness().RunAsync("plugins", "invocations", _id, "-o", "json");
            var newest = await Harness().RunAsync("plugins", "invocations", _id, "--limit", "1");

            table.ExitCode.ShouldBe(ExitCodes.Ok, table.ToString());
            table.Out.ShouldContain("wordCount");
            table.Out.ShouldContain("3");
            table.Err.ShouldContain($"{_id}@1.0.0: invocation ");
            json.ExitCode.ShouldBe(ExitCodes.Ok, json.ToString());
            var answer = JsonSerializer.Deserialize<PluginInvokeResponse>(json.Out, BerthJson.Options)!;
            answer.Outputs["wordCount"]!.GetValue<int>().ShouldBe(3, "--input test:={} replaced the file's test object");
            var calls = JsonSerializer.Deserialize<List<PluginInvocationView>>(listed.Out, BerthJson.Options)!;
            calls.Select(c => c.Id).ShouldBe([answer.InvocationId, calls[1].Id]);
            calls.ShouldAllBe(c => c.Outcome == PluginOutcome.Succeeded && c.Caller.StartsWith("token:", StringComparison.Ordinal));
            newest.ExitCode.ShouldBe(ExitCodes.Ok, newest.ToString());
            newest.Out.ShouldContain(answer.InvocationId);
            newest.Out.ShouldNotContain(calls[1].Id);
        }
        finally
        {
            await RemoveAsync();
        }
    }

    [Fact]
    public async Task Invoke_InputsBreakingTheSchema_ExitsInvalidNamingTheField()
    {
        await InstallAsync();
        try
        {
            var result = await Harness().RunAsync("plugins", "invoke", _id, "--input", "words:=3");

            result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
            result.Err.ShouldContain("inputs.text: required");
        }
        finally
        {
            await RemoveAsync();
        }
    }

    [Fact]
    public async Task Invoke_PluginFails_ExitsFailureWithItsClassAndMessage()
    {
        await InstallAsync();
        try
        {
            var result = await Harness().RunAsync("plugins", "invoke", _id, "--input", "text=x", "--input", """test:={"fail": "quota"}""");

            result.ExitCode.ShouldBe(ExitCodes.Failure, result.ToString());
            result.Err.ShouldContain("failed (quota): failed on purpose");
        }
        finally
        {
            await RemoveAsync();
        }
    }

    [Fact]
    public async Task Invoke_NotInstalled_ExitsNotFound()
    {
        var result = await Harness().RunAsync("plugins", "invoke", _id, "--input", "text=x");

        result.ExitCode.ShouldBe(ExitCodes.NotFound, result.ToString());
        result.Err.ShouldContain(_id);
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=x")]
    [InlineData("n:=not json")]
    public async Task Invoke_MalformedInput_ExitsUsageWithoutCalling(string pair)
    {
        var result = await Harness().RunAsync("plugins", "invoke", _id, "--input", pair);

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("--input");
    }

    [Fact]
    public async Task Invocations_LimitOutOfRange_ExitsUsage()
    {
        var result = await Harness().RunAsync("plugins", "invocations", _id, "--limit", "0");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("--limit");
    }

    private CliHarness Harness()
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path };
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        return harness;
    }

    private async Task InstallAsync()
    {
        var source = Path.Combine(Repository.Root, "tests", "plugins", "text-analysis");
        var target = Path.Combine(_directory.Path, "plugin");
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(source, "server.py"), Path.Combine(target, "server.py"));
        File.WriteAllText(Path.Combine(target, "plugin.yaml"), File.ReadAllText(Path.Combine(source, "plugin.yaml")).Replace("name: text-analysis", $"name: {_id}", StringComparison.Ordinal));
        var install = await Harness().RunAsync("plugins", "install", "plugin");
        install.ExitCode.ShouldBe(ExitCodes.Ok, install.ToString());
    }

    private async Task RemoveAsync() => await Harness().RunAsync("plugins", "rm", _id, "--yes");
}
