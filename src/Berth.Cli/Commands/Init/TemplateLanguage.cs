namespace Berth.Cli.Commands.Init;

/// <summary>
/// What a template language fills into the shared spec and README: how Berth starts it as a process, its default base
/// image, how long its first start may take, and how to run and test it by hand.
/// </summary>
internal sealed record TemplateLanguage(
    string Id,
    string DisplayName,
    string Command,
    IReadOnlyList<string> Args,
    string MainFile,
    string DefaultBaseImage,
    string StartPeriod,
    string RunLocal,
    string TestCommand)
{
    /// <summary>The languages <c>berth init --lang</c> offers, python first (the default).</summary>
    public static IReadOnlyList<TemplateLanguage> All { get; } =
    [
        // /usr/bin/python3, not python3: a server's PATH may lead to a pyenv shim the agent's user cannot read.
        new("python", "Python (standard library only)", "/usr/bin/python3", ["server.py"], "server.py",
            "python:3.12-slim", "10s", "PORT=8000 python3 server.py", "python3 test_server.py"),
        new("node", "Node.js (no npm packages)", "/usr/bin/node", ["server.mjs"], "server.mjs",
            "node:20-slim", "10s", "PORT=8000 node server.mjs", "node --test"),
        // A .NET 10 file-based app: `dotnet run app.cs` restores and builds offline (no package references) into the
        // agent's private HOME, so the first start compiles (~10-25 s on 2 cores); hence the long start period.
        new("dotnet", ".NET 10 (a file-based app, no packages)", "dotnet", ["run", "app.cs"], "app.cs",
            "mcr.microsoft.com/dotnet/sdk:10.0", "180s", "PORT=8000 dotnet run app.cs", "dotnet run test.cs"),
        new("shell", "POSIX shell on busybox (nc -ll runs a handler per connection)", "/bin/sh", ["server.sh"], "handler.sh",
            "busybox:1.36", "10s", "PORT=8000 sh server.sh", "sh test.sh"),
    ];

    public static IEnumerable<string> Ids => All.Select(l => l.Id);

    public static TemplateLanguage Find(string id) =>
        All.FirstOrDefault(l => l.Id == id) ?? throw new CliException($"unknown language '{id}'; choose one of {string.Join(", ", Ids)}", ExitCodes.Usage);
}
