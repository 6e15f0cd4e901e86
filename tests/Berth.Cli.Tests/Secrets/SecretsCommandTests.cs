using System.Text.Json;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client.Contracts;
using Berth.Core.Serialization;

namespace Berth.Cli.Tests.Secrets;

public sealed class SecretsCommandTests(SecretsServerFixture server) : IClassFixture<SecretsServerFixture>, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _name = $"s{Guid.NewGuid():N}"[..12];
    private readonly string _value = $"v-{Guid.NewGuid():N}";

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Set_PipedStdin_StoresTheValueWithoutTheTrailingNewline()
    {
        var result = await Harness(stdin: _value + "\n").RunAsync("secrets", "set", _name);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain($"secret/{_name} created");
        result.All.ShouldNotContain(_value);
        (await server.ReadValueAsync(_name)).ShouldBe(_value);
    }

    [Fact]
    public async Task Set_FromFile_StoresTheFileContent_AndASecondSetReplacesIt()
    {
        var path = _directory.Write("key.txt", "line one\nline two\n");
        (await Harness(stdin: "first").RunAsync("secrets", "set", _name)).ExitCode.ShouldBe(0);

        var result = await Harness().RunAsync("secrets", "set", _name, "--from-file", "key.txt");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain($"secret/{_name} replaced");
        (await server.ReadValueAsync(_name)).ShouldBe("line one\nline two");
        path.ShouldEndWith("key.txt");
    }

    [Fact]
    public async Task Set_ValueAsAnArgument_RefusedWithTheReason_AndNothingStored()
    {
        var result = await Harness().RunAsync("secrets", "set", _name, _value);

        result.ExitCode.ShouldBe(2);
        result.Err.ShouldContain("refusing to take a secret's value as an argument");
        result.Err.ShouldContain("process list");
        result.Err.ShouldContain("--from-file");
        (await server.ReadValueAsync(_name)).ShouldBeNull();
    }

    [Fact]
    public async Task Set_EmptyStdinOrMissingFile_UsageError()
    {
        var empty = await Harness(stdin: "").RunAsync("secrets", "set", _name);
        var missing = await Harness().RunAsync("secrets", "set", _name, "--from-file", "nope.txt");

        empty.ExitCode.ShouldBe(2);
        empty.Err.ShouldContain("empty");
        missing.ExitCode.ShouldBe(2);
        missing.Err.ShouldContain("cannot read nope.txt");
        (await server.ReadValueAsync(_name)).ShouldBeNull();
    }

    [Fact]
    public async Task Ls_Json_ListsNamesAndDatesNeverValues()
    {
        (await Harness(stdin: _value).RunAsync("secrets", "set", _name)).ExitCode.ShouldBe(0);

        var json = await Harness().RunAsync("secrets", "ls", "-o", "json");
        var table = await Harness().RunAsync("secrets", "ls");

        json.ExitCode.ShouldBe(0, json.ToString());
        JsonSerializer.Deserialize<List<SecretView>>(json.Out, BerthJson.Options)!.ShouldContain(s => s.Name == _name);
        json.All.ShouldNotContain(_value);
        table.Out.ShouldContain("NAME");
        table.Out.ShouldContain(_name);
        table.All.ShouldNotContain(_value);
    }

    [Fact]
    public async Task Rm_NeedsYesWhenNoPrompt_ThenDeletes_ThenNotFound()
    {
        (await Harness(stdin: _value).RunAsync("secrets", "set", _name)).ExitCode.ShouldBe(0);

        var unconfirmed = await Harness().RunAsync("secrets", "rm", _name);
        var removed = await Harness().RunAsync("secrets", "rm", _name, "--yes");
        var again = await Harness().RunAsync("secrets", "rm", _name, "--yes");

        unconfirmed.ExitCode.ShouldBe(2);
        unconfirmed.Err.ShouldContain("--yes");
        removed.ExitCode.ShouldBe(0, removed.ToString());
        removed.Out.ShouldContain($"secret/{_name} deleted");
        again.ExitCode.ShouldBe(3);
        (await server.ReadValueAsync(_name)).ShouldBeNull();
    }

    private CliHarness Harness(string stdin = "")
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path, Stdin = stdin };
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.Token;
        return harness;
    }
}
