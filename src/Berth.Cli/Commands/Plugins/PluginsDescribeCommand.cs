using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Berth.Core.Specs;
using Spectre.Console;

namespace Berth.Cli.Commands.Plugins;

/// <summary><c>berth plugins describe ID [-o table|json|yaml]</c>: every installed version: manifest, origin, notes and pool.</summary>
internal static class PluginsDescribeCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The plugin's id" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("describe", "Show a plugin's versions: manifest, source, digest, notes and pool") { id, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var plugin = await client.GetPluginAsync(session.ParseResult.GetRequiredValue(id), cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, plugin, format);
                return ExitCodes.Ok;
            }

            foreach (var version in plugin.Versions)
            {
                Write(session, version);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(CliSession session, PluginVersionView view)
    {
        var console = session.OutConsole;
        var plugin = view.Plugin;
        var spec = plugin.Spec;
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string label, string value) => grid.AddRow(new Text(label + ":"), new Text(value));
        Row("Plugin", plugin.Reference);
        Row("Description", spec.Description ?? "-");
        Row("Verb", spec.Verb ?? "-");
        Row("Runtime", spec.Runtime == PluginRuntime.Process ? $"process: {spec.Process?.Command} {string.Join(' ', spec.Process?.Args ?? [])}" : spec.Container?.Image ?? $"container built from {spec.Container?.Build?.Dockerfile}");
        Row("Call", $"{spec.Api.Method} {spec.Api.Endpoint} (timeout {Duration.Format(spec.Api.Timeout)})");
        Row("Capabilities", spec.Capabilities.Count == 0 ? "-" : string.Join(", ", spec.Capabilities.Select(c => c.Name)));
        Row("Tags", spec.Tags.Count == 0 ? "-" : string.Join(", ", spec.Tags));
        Row("Pool", $"minWarm {spec.Pool.MinWarm}, maxInstances {spec.Pool.MaxInstances}, idleTimeout {Duration.Format(spec.Pool.IdleTimeout)}, concurrency {spec.Pool.Concurrency}");
        Row("Instances", view.Pool is { } pool ? $"{pool.ReadyReplicas.ToString(CultureInfo.InvariantCulture)} ready of {pool.Instances.Count.ToString(CultureInfo.InvariantCulture)} ({Formats.Name(pool.State)})" : "none");
        Row("Source", plugin.Source);
        Row("Digest", plugin.Digest);
        Row("Folder", plugin.Directory);
        Row("Installed", $"{Formats.Time(plugin.InstalledAt, session.Context.Time.GetUtcNow())} by {plugin.InstalledBy}");
        console.Write(grid);
        foreach (var note in plugin.Notes)
        {
            console.WriteLine($"note: {note}");
        }

        foreach (var recent in view.Events.TakeLast(5))
        {
            console.WriteLine($"event: {recent.Reason}: {recent.Message}");
        }

        console.WriteLine();
    }
}
