namespace Berth.Core.Specs;

/// <summary>
/// Resolves the paths a plugin manifest may write relative to its folder: <c>container.build.context</c>, and a
/// <c>process.command</c> holding a '/' (a bare name is looked up on PATH; the process runs in the plugin's folder either way).
/// </summary>
internal static class PluginSpecPaths
{
    public static PluginSpec Resolve(PluginSpec spec, string baseDirectory)
    {
        string Full(string path) => path.Length == 0 || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

        return spec with
        {
            Container = spec.Container is { Build: { } build } container ? container with { Build = build with { Context = Full(build.Context) } } : spec.Container,
            Process = spec.Process is { } process && process.Command.Contains('/', StringComparison.Ordinal)
                ? process with { Command = Full(process.Command) }
                : spec.Process,
        };
    }
}
