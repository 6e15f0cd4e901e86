namespace Berth.Core.Specs;

/// <summary>Resolves the paths an agent spec may write relative to its file: <c>build.context</c>, <c>process.workingDir</c> and a <c>process.command</c> that holds a '/'.</summary>
internal static class AgentSpecPaths
{
    public static AgentSpec Resolve(AgentSpec spec, string baseDirectory)
    {
        string Full(string path) => path.Length == 0 || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

        return spec with
        {
            Build = spec.Build is { } build ? build with { Context = Full(build.Context) } : null,

            // A bare name is looked up on PATH; only something that looks like a path is resolved.
            Process = spec.Process is { } process
                ? process with
                {
                    Command = process.Command.Contains('/', StringComparison.Ordinal) ? Full(process.Command) : process.Command,
                    WorkingDir = process.WorkingDir is { } dir ? Full(dir) : null,
                }
                : null,
        };
    }
}
