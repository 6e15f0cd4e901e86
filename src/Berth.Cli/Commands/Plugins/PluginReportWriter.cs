using Berth.Client.Contracts;
using Spectre.Console;

namespace Berth.Cli.Commands.Plugins;

/// <summary>Writes a contract check report as a table: each check, whether it passed, and what was found; then the manifest's notes.</summary>
internal static class PluginReportWriter
{
    public static void Write(IAnsiConsole console, PluginCheckReport report)
    {
        var table = new Table().NoBorder().AddColumns("CHECK", "RESULT", "MESSAGE");
        foreach (var check in report.Checks)
        {
            table.AddRow(new Text(check.Name), new Markup(check.Passed ? "[green]passed[/]" : "[red]failed[/]"), new Text(check.Message));
        }

        console.Write(table);
        foreach (var note in report.Notes)
        {
            console.WriteLine($"note: {note}");
        }
    }

    /// <summary>Runs <paramref name="work"/> with a spinner saying what is happening (a check can take a while: a build, a start, the examples).</summary>
    public static async Task<T> WithProgressAsync<T>(IAnsiConsole console, string what, Func<Task<T>> work) =>
        await console.Status().Spinner(Spinner.Known.Dots).StartAsync(what, async _ => await work());
}
