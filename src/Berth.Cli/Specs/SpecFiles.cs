using Berth.Core.Llm;
using Berth.Core.Messaging;
using Berth.Core.Specs;
using Berth.Core.Workflows;
using Spectre.Console;

namespace Berth.Cli.Specs;

/// <summary>Reads the files named by <c>-f</c> (a file, a directory of YAML files, or <c>-</c> for stdin) into specs of every kind.</summary>
internal static class SpecFiles
{
    private const string Stdin = "-";

    /// <summary>Reads and validates every file; errors carry the file they came from.</summary>
    public static SpecFileSet Read(IEnumerable<string> arguments, CliContext context)
    {
        var agents = new List<(string Source, AgentSpec Agent)>();
        var workflows = new List<WorkflowSpec>();
        var plugins = new List<(string Source, PluginSpec Plugin)>();
        var topics = new List<(string Source, TopicSpec Topic)>();
        var subscriptions = new List<(string Source, SubscriptionSpec Subscription)>();
        var modelEndpoints = new List<(string Source, ModelEndpointSpec ModelEndpoint)>();
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
            topics.AddRange(set.Topics.Select(t => (source, t)));
            subscriptions.AddRange(set.Subscriptions.Select(s => (source, s)));
            modelEndpoints.AddRange(set.ModelEndpoints.Select(e => (source, e)));
        }

        AddDuplicates("agent", agents.Select(a => (a.Source, a.Agent.Name)), errors);
        AddDuplicates("topic", topics.Select(t => (t.Source, t.Topic.Name)), errors);
        AddDuplicates("subscription", subscriptions.Select(s => (s.Source, s.Subscription.Name)), errors);
        AddDuplicates("modelendpoint", modelEndpoints.Select(e => (e.Source, e.ModelEndpoint.Name)), errors);

        // A cycle within one file is reported by the reader with its line; only cycles across files are left to find here.
        var sourceOf = agents.GroupBy(a => a.Agent.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Source, StringComparer.Ordinal);
        var graph = agents.GroupBy(a => a.Agent.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Agent.DependsOn, StringComparer.Ordinal);
        foreach (var (cycle, index) in AgentDependencyCycles.Find(graph).Where(c => c.Cycle.Select(name => sourceOf[name]).Distinct(StringComparer.Ordinal).Count() > 1))
        {
            var closing = cycle[^2];
            errors.Add((sourceOf[closing], new SpecError($"agents/{closing}: spec.dependsOn[{index}]", AgentDependencyCycles.Message(cycle))));
        }

        return new SpecFileSet(agents.Select(a => a.Agent).ToList(), workflows, errors)
        {
            Plugins = plugins,
            ModelEndpoints = modelEndpoints.Select(e => e.ModelEndpoint).ToList(),
            Topics = TopicOrder.DeadLettersFirst(topics.Select(t => t.Topic).ToList()),
            Subscriptions = subscriptions.Select(s => s.Subscription).ToList(),
        };
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

    /// <summary>One error per name defined more than once among the files: applying both would let the last one win silently.</summary>
    private static void AddDuplicates(string kind, IEnumerable<(string Source, string Name)> named, List<(string Source, SpecError Error)> errors)
    {
        foreach (var duplicate in named.GroupBy(n => n.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var sources = string.Join(" and ", duplicate.Select(d => d.Source).Distinct(StringComparer.Ordinal));
            errors.Add((duplicate.Last().Source, new SpecError($"{kind}s/{duplicate.Key}", $"{kind} '{duplicate.Key}' is defined more than once (in {sources}); keep one definition")));
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
