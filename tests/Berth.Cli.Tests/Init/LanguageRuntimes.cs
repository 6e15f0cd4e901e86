namespace Berth.Cli.Tests.Init;

/// <summary>
/// What each template language needs on the machine. A missing runtime fails the test with what to install: CI installs it
/// (scripts/test.sh), and a template that cannot be tested must not pass quietly.
/// </summary>
internal static class LanguageRuntimes
{
    public static TheoryData<string> Languages => ["python", "node", "dotnet", "shell"];

    public static void Require(string language)
    {
        var (file, install) = language switch
        {
            "python" => ("/usr/bin/python3", "apt-get install python3"),
            "node" => ("/usr/bin/node", "apt-get install nodejs (Node 20 or newer)"),
            "shell" => ("/usr/bin/busybox", "apt-get install busybox (or busybox-static)"),
            "dotnet" => (Berth.Testing.Repository.Dotnet, "the .NET 10 SDK"),
            _ => throw new ArgumentOutOfRangeException(nameof(language), language, "no such template language"),
        };
        if (!File.Exists(file) && !File.Exists("/bin/" + Path.GetFileName(file)))
        {
            throw new InvalidOperationException($"the {language} template needs {file}, which is missing on this machine: install {install}");
        }
    }
}
