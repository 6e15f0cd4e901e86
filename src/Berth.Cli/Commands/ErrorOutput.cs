using Berth.Client.Errors;
using Berth.Core.Specs;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary>Prints problems and spec errors the same way everywhere.</summary>
internal static class ErrorOutput
{
    public static void WriteProblem(IAnsiConsole console, BerthApiException exception)
    {
        var detail = string.IsNullOrWhiteSpace(exception.Detail) ? "" : $": {exception.Detail}";
        console.MarkupLineInterpolated($"[red]error:[/] {exception.Title}{detail}");
        WriteSpecErrors(console, null, exception.Errors);
    }

    /// <summary>One line per error: <c>file:line:column: path: message</c> (the location parts only when known).</summary>
    public static void WriteSpecErrors(IAnsiConsole console, string? source, IEnumerable<SpecError> errors)
    {
        foreach (var error in errors)
        {
            console.WriteLine("  " + Format(source, error));
        }
    }

    public static string Format(string? source, SpecError error)
    {
        var location = error.Line is { } line
            ? $"{source ?? "line"}{(source is null ? " " : ":")}{line}:{error.Column ?? 1}: "
            : source is null ? "" : $"{source}: ";
        var path = string.IsNullOrEmpty(error.Path) || error.Path == source ? "" : $"{error.Path}: ";
        return location + path + error.Message;
    }
}
