using System.Globalization;
using Berth.Core.Runtime;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Exec;

/// <summary>
/// What <c>GET /api/v1/agents/{name}/exec</c> asks for, from its query: <c>cmd</c> once per argument (the program first),
/// optionally <c>instance</c>, <c>tty=true</c>, <c>rows</c> and <c>cols</c>. Bounded, and no control characters anywhere: the
/// command is written to the audit log, where a newline could forge a line.
/// </summary>
internal sealed record ExecRequest(IReadOnlyList<string> Command, string? Instance, bool Tty, TerminalSize? Size)
{
    public const int MaxArguments = 64;
    public const int MaxArgumentLength = 4096;
    public const int MaxCommandLength = 16 * 1024;
    public const int MaxInstanceLength = 128;

    /// <summary>Reads the query; the error says what is wrong and how to fix it.</summary>
    public static (ExecRequest? Request, string? Error) Read(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var command = query["cmd"].Select(c => c ?? "").ToList();
        if (command.Count == 0 || command[0].Length == 0)
        {
            return (null, "cmd is required: pass the program and each argument as a cmd query parameter (?cmd=ls&cmd=-l), or use 'berth exec NAME -- CMD ARGS'.");
        }

        if (command.Count > MaxArguments)
        {
            return (null, $"cmd has {command.Count} arguments; at most {MaxArguments} are accepted. Put a longer command in a script inside the image.");
        }

        if (command.FindIndex(c => c.Length > MaxArgumentLength) is >= 0 and var tooLong)
        {
            return (null, $"cmd argument {tooLong} is longer than {MaxArgumentLength} characters.");
        }

        if (command.Sum(c => c.Length) > MaxCommandLength)
        {
            return (null, $"the command is longer than {MaxCommandLength} characters in all.");
        }

        if (command.FindIndex(c => c.Any(char.IsControl)) is >= 0 and var control)
        {
            return (null, $"cmd argument {control} holds a control character (a newline, tab or escape); pass a script's name instead, or send the text on standard input.");
        }

        var instance = query["instance"].FirstOrDefault();
        if (instance is not null && (instance.Length is 0 or > MaxInstanceLength || instance.Any(char.IsControl)))
        {
            return (null, $"instance must be an instance id of at most {MaxInstanceLength} characters; list them with 'berth describe agent NAME'.");
        }

        var tty = query["tty"].FirstOrDefault();
        if (tty is not (null or "true" or "false"))
        {
            return (null, $"tty must be true or false; got '{Problems.CallerText.Printable(tty)}'.");
        }

        TerminalSize? size = null;
        var rows = query["rows"].FirstOrDefault();
        var cols = query["cols"].FirstOrDefault();
        if (rows is not null || cols is not null)
        {
            if (!int.TryParse(rows, NumberStyles.None, CultureInfo.InvariantCulture, out var r) || !int.TryParse(cols, NumberStyles.None, CultureInfo.InvariantCulture, out var c)
                || new TerminalSize(r, c) is not { IsValid: true } parsed)
            {
                return (null, $"rows and cols must both be given, each from 1 to {TerminalSize.Max}.");
            }

            size = parsed;
        }

        return (new ExecRequest(command, instance, tty == "true", size), null);
    }

    /// <summary>The command as the audit log records it: arguments joined by spaces, quoted when they hold one.</summary>
    public string AuditText() => string.Join(' ', Command.Select(c => c.Length == 0 || c.Contains(' ', StringComparison.Ordinal) ? $"'{c}'" : c));
}
