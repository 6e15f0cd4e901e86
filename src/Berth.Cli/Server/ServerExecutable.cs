namespace Berth.Cli.Server;

/// <summary>
/// Finds the server beside the CLI: <c>berth-server</c> (its app host) or, without one, <c>berth-server.dll</c> run by <c>dotnet</c>.
/// <c>dotnet publish src/Berth.Cli</c> and scripts/install.sh put it there; a test project gets it by referencing Berth.Server.Host.
/// </summary>
internal sealed record ServerExecutable(string FileName, IReadOnlyList<string> LeadingArguments)
{
    public const string Name = "berth-server";

    /// <summary>The command line to run: <see cref="FileName"/> then <see cref="LeadingArguments"/> then <paramref name="arguments"/>.</summary>
    public IReadOnlyList<string> CommandLine(IEnumerable<string> arguments) => [FileName, .. LeadingArguments, .. arguments];

    /// <summary>The server in <paramref name="directory"/>; throws a <see cref="CliException"/> saying how to install it when it is missing.</summary>
    public static ServerExecutable Find(string directory, Func<string, string?> environment)
    {
        var host = Path.Combine(directory, Name);
        if (File.Exists(host) && (File.GetUnixFileMode(host) & UnixFileMode.UserExecute) != 0)
        {
            return new ServerExecutable(host, []);
        }

        var assembly = Path.Combine(directory, Name + ".dll");
        if (File.Exists(assembly))
        {
            // `dotnet test` names the dotnet executable that runs it; elsewhere execvp finds dotnet on PATH.
            var dotnet = environment("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
            return new ServerExecutable(dotnet, [assembly]);
        }

        throw new CliException(
            $"berth server runs {Name}, which is not beside berth in {directory}: install Berth with scripts/install.sh " +
            $"(or dotnet publish src/Berth.Cli -c Release -o DIR, which puts both in DIR)",
            ExitCodes.Failure);
    }
}
