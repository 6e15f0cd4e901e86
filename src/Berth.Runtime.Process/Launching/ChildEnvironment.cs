using Berth.Runtime.Process.Isolation;

namespace Berth.Runtime.Process.Launching;

/// <summary>
/// Builds an agent's environment. It starts clean rather than from the server's environment, so the
/// server's own secrets (database passwords, tokens, cloud keys) never leak into agents: only what a
/// program needs to run (PATH, locale, the .NET host's DOTNET_* settings), then the instance's resolved environment, then
/// PORT and BERTH_FILES_DIR. <c>HOME</c> and <c>TMPDIR</c> are the instance's private home and its tmp folder (the spec's env
/// may override them), and
/// the server's <c>USER</c>/<c>LOGNAME</c> are not passed to an agent that runs under a uid of its own.
/// </summary>
internal static class ChildEnvironment
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static readonly string[] Inherited = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ"];

    public static Dictionary<string, string> Build(IReadOnlyDictionary<string, string> launchEnvironment, int port, ConfinedLaunch confined)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Inherited.Where(n => confined.User is null || n is not ("USER" or "LOGNAME")))
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }

        foreach (var entry in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>())
        {
            if (entry.Key is string name && name.StartsWith("DOTNET_", StringComparison.Ordinal) && entry.Value is string value)
            {
                environment[name] = value;
            }
        }

        environment.TryAdd("PATH", DefaultPath);
        environment["HOME"] = confined.Home;
        environment["TMPDIR"] = AgentHomes.TempOf(confined.Home);

        foreach (var (name, value) in launchEnvironment)
        {
            environment[name] = value;
        }

        environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (confined.FilesDirectory is not null)
        {
            environment["BERTH_FILES_DIR"] = confined.FilesDirectory;
        }

        return environment;
    }
}
