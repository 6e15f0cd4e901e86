using Berth.Cli.Tests.Infrastructure;

namespace Berth.Cli.Tests.Init;

/// <summary>A project written by <c>berth init</c> (in-process) into a fresh folder under /tmp, deleted on dispose.</summary>
internal sealed class InitProject : IDisposable
{
    private readonly TempDirectory _parent = new();

    private InitProject(string kind, string language, string name)
    {
        (Kind, Language, Name) = (kind, language, name);
        Folder = Path.Combine(_parent.Path, name);
    }

    public string Kind { get; }

    public string Language { get; }

    public string Name { get; }

    public string Folder { get; }

    public string ParentFolder => _parent.Path;

    public static async Task<InitProject> CreateAsync(string kind, string language, params string[] extra)
    {
        LanguageRuntimes.Require(language);
        var project = new InitProject(kind, language, $"{kind[0]}{language[0]}{Guid.NewGuid():N}"[..12]);
        var result = await new CliHarness { CurrentDirectory = project.ParentFolder }.RunAsync(["init", kind, project.Name, "--lang", language, .. extra]);
        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        return project;
    }

    public string Read(string file) => File.ReadAllText(Path.Combine(Folder, file));

    public void Dispose() => _parent.Dispose();
}
