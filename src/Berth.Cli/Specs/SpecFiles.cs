using Berth.Core.Specs;
using Berth.Core.Workflows;
using Spectre.Console;

namespace Berth.Cli.Specs;

/// <summary>Reads the files named by <c>-f</c> (a file, a directory of YAML files, or <c>-</c> for stdin) into agent specs.</summary>
internal static class SpecFiles
{
    private const string Stdin = "-";

    /// <summary>Reads and validates every file; errors carry the file they came from.</summary>
    public static SpecFileSet Read(IEnumerable<string> arguments, CliContext context)
    {
        var agents = new List<(string Source, AgentSpec Agent)>();
        var workflows = new List<WorkflowSpec>();
        var plugins = new List<(string Source, PluginSpec Plugin)>();
        var errors = new List<(string Source, SpecError Error)>();
        foreach (var (source, text, directory) in Load(arguments, context))
        {
            var set = SpecReader.Read(text, new SpecReadOptions
            {
                Environment = context.GetEnvironmentVariable,
                BaseDirectory = directory,
                SourceName = source,
            });
            errors.AddRange(set.Errors.Select(e => (source, e)));
            agents.AddRange(set.Agents.Select(a => (source, a)));
            workflows.AddRange(set.Workflows);
            plugins.AddRange(set.Plugins.Select(p => (source, p)));
        }

        foreach (var duplicate in agents.GroupBy(a => a.Agent.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var sources = string.Join(" and ", duplicate.Select(d => d.Source).Distinct(StringComparer.Ordinal));
            errors.Add((duplicate.Last().Source, new SpecError($"agents/{duplicate.Key}", $"agent '{duplicate.Key}' is defined more than once (in {sources}); keep one definition")));
        }

        // A cycle within one file is reported by the reader with its line; only cycles across files are left to find here.
        var sourceOf = agents.GroupBy(a => a.Agent.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Source, StringComparer.Ordinal);
        var graph = agents.GroupBy(a => a.Agent.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Agent.DependsOn, StringComparer.Ordinal);
        foreach (var (cycle, index) in AgentDependencyCycles.Find(graph).Where(c => c.Cycle.Select(name => sourceOf[name]).Distinct(StringComparer.Ordinal).Count() > 1))
        {
            var closing = cycle[^2];
            errors.Add((sourceOf[closing], new SpecError($"agents/{closing}: spec.dependsOn[{index}]", AgentDependencyCycles.Message(cycle))));
        }

        return new SpecFileSet(agents.Select(a => a.Agent).ToList(), workflows, errors) { Plugins = plugins };
    }

    /// <summary>Prints each error as <c>file:line:column: path: message</c> followed by a count.</summary>
    public static void WriteErrors(IAnsiConsole console, SpecFileSet set)
    {
        console.MarkupLineInterpolated($"[red]error:[/] {set.Errors.Count} problem{(set.Errors.Count == 1 ? "" : "s")} found:");
        foreach (var (source, error) in set.Errors)
        {
            console.WriteLine("  " + Commands.ErrorOutput.Format(source, error));
        }
    }

    private static IEnumerable<(string Source, string Text, string Directory)> Load(IEnumerable<string> arguments, CliContext context)
    {
        foreach (var argument in arguments)
        {
            if (argument == Stdin)
            {
                yield return ("stdin", context.In.ReadToEnd(), context.CurrentDirectory);
                continue;
            }

            var path = Path.GetFullPath(argument, context.CurrentDirectory);
            if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path)
                    .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (files.Count == 0)
                {
                    throw new CliException($"no .yaml or .yml files in directory {argument}", ExitCodes.Usage);
                }

                foreach (var file in files)
                {
                    yield return (Path.Join(argument, Path.GetFileName(file)), ReadFile(file, argument), path);
                }

                continue;
            }

            yield return (argument, ReadFile(path, argument), Path.GetDirectoryName(path) ?? context.CurrentDirectory);
        }
    }

    private static string ReadFile(string path, string shown)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"file not found: {shown}", ExitCodes.Usage);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {shown}: {exception.Message}", ExitCodes.Usage);
        }
    }
}
