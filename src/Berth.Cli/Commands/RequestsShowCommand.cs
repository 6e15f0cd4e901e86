using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth requests show ID [-o table|json|yaml]</c>: one stored request, what was sent and the stored answer.</summary>
internal static class RequestsShowCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The request's id (from 'berth requests ls' or the Berth-Request-Id header)" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("show", "Show one stored request: timings, attempts, headers and bodies sent and received") { id, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var detail = await client.GetRequestAsync(session.ParseResult.GetRequiredValue(id), cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, detail, format);
                return ExitCodes.Ok;
            }

            Write(session, detail);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(CliSession session, RequestDetail detail)
    {
        var request = detail.Request;
        var now = session.Context.Time.GetUtcNow();
        var summary = new Grid().AddColumn().AddColumn();
        void Row(string label, string value) => summary.AddRow(new Text(label + ":"), new Text(value));
        Row("Id", request.Id);
        Row("Agent", request.Agent);
        Row("Request", $"{request.Method} {request.Target}");
        summary.AddRow(new Text("State:"), new Markup(RequestsStates.Markup(request.State)));
        Row("Attempts", $"{request.Attempts}/{request.MaxAttempts}");
        Row("Caller", request.Caller);
        if (request.IdempotencyKey is { } key)
        {
            Row("Idempotency key", key);
        }

        Row("Accepted", Formats.Time(request.AcceptedAt, now));
        if (request.NextAttemptAt is { } next)
        {
            Row("Next attempt", Formats.Time(next, now));
        }

        Row("Finished", Formats.Time(request.FinishedAt, now));
        if (request.LastFailure is { } failure)
        {
            Row("Last failure", request.LastError is { } error ? $"{Formats.Name(failure)}: {error}" : Formats.Name(failure));
        }

        session.OutConsole.Write(summary);
        var output = session.Out;
        output.WriteLine();
        WriteMessage(output, "Sent:", detail.Sent);
        output.WriteLine();
        if (detail.Response is not { } response)
        {
            output.WriteLine("Response: none stored yet");
            return;
        }

        var length = response.Truncated
            ? $" (stored body cut; the whole was {response.Length.ToString(CultureInfo.InvariantCulture)} bytes)"
            : "";
        WriteMessage(output, $"Response: {response.Status.ToString(CultureInfo.InvariantCulture)}{length}", response.Message);
    }

    private static void WriteMessage(TextWriter output, string heading, MessageView message)
    {
        output.WriteLine(heading);
        foreach (var (name, value) in message.Headers)
        {
            output.WriteLine($"  {name}: {value}");
        }

        if (message.Body.Length == 0)
        {
            output.WriteLine("  (no body)");
            return;
        }

        if (message.BodyEncoding == "base64")
        {
            output.WriteLine("  (binary body, shown as base64)");
        }

        output.WriteLine();
        output.WriteLine(message.Body.TrimEnd('\n'));
    }
}
