using Berth.Cli.Auth;
using Berth.Cli.Tests.Infrastructure;
using Spectre.Console.Testing;

namespace Berth.Cli.Tests.Auth;

public sealed class CredentialsTests : IDisposable
{
    private const string AdminToken = "berth_adminadminadminadminadminadminadminadminadm";

    private readonly TempDirectory _home = new();
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public CredentialsTests()
    {
        _environment["HOME"] = _home.Path;
        _home.Write(".berth/admin.token", AdminToken + "\n");
    }

    public void Dispose() => _home.Dispose();

    private CliContext Context() => new()
    {
        Console = new TestConsole(),
        OutConsole = new TestConsole(),
        Out = new StringWriter(),
        In = new StringReader(""),
        GetEnvironmentVariable = name => _environment.GetValueOrDefault(name),
        CurrentDirectory = _home.Path,
        IsInteractive = false,
    };

    [Fact]
    public void Resolve_EverySource_OptionThenVariableThenContextThenAdminFile()
    {
        new CliContextFile("http://127.0.0.1:2378", "berth_fromcontext").Save(Context());
        _environment["BERTH_TOKEN"] = "berth_fromvariable";

        Credentials.Resolve(Context(), null, "berth_fromoption").Token.ShouldBe("berth_fromoption");
        Credentials.Resolve(Context(), null, null).Token.ShouldBe("berth_fromvariable");
        _environment.Remove("BERTH_TOKEN");
        Credentials.Resolve(Context(), null, null).Token.ShouldBe("berth_fromcontext");
        File.Delete(CliContextFile.PathFor(Context())!);
        Credentials.Resolve(Context(), null, null).Token.ShouldBe(AdminToken);
    }

    [Fact]
    public void Resolve_ContextForAnotherServer_ItsTokenIsNotSent()
    {
        new CliContextFile("https://berth.example:2378", "berth_fromcontext").Save(Context());

        var other = Credentials.Resolve(Context(), "https://elsewhere.example:2378", null);
        var saved = Credentials.Resolve(Context(), null, null);

        other.Token.ShouldBeNull();
        saved.Server.ShouldBe(new Uri("https://berth.example:2378"));
        saved.Token.ShouldBe("berth_fromcontext");
    }

    [Theory]
    [InlineData("http://10.0.0.5:2378", null)]
    [InlineData("https://berth.example", null)]
    [InlineData("http://127.0.0.1:2378", AdminToken)]
    [InlineData("http://localhost:2378", AdminToken)]
    [InlineData("http://[::1]:2378", AdminToken)]
    public void Resolve_AdminTokenFile_OnlyForLoopbackServers(string server, string? expected)
    {
        Credentials.Resolve(Context(), server, null).Token.ShouldBe(expected);
    }

    [Fact]
    public void Resolve_BerthDataDir_ReadsAdminTokenThere()
    {
        _home.Write("elsewhere/admin.token", "berth_elsewhere");
        _environment["BERTH_DATA_DIR"] = Path.Combine(_home.Path, "elsewhere");

        Credentials.Resolve(Context(), null, null).Token.ShouldBe("berth_elsewhere");
    }
}
