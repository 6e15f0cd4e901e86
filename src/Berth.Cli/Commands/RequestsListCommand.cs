using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Berth.Core.Requests;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth requests ls [AGENT] [--state S] [--since 10m] [--limit N] [-o table|json|yaml]</c>: stored requests, newest first.</summary>
internal static class RequestsListCommand
{
    private const int MaxLimit = 1000;

    public static Command Create(CliContext context)
    {
        var agent = new Argument<string?>("agent") { Description = "Only requests for this agent", Arity = ArgumentArity.ZeroOrOne };
        var state = new Option<string?>("--state") { Description = $"Only requests in this state: {RequestsStates.All}", HelpName = "state" };
        var since = new Option<string?>("--since") { Description = "Only requests accepted since a duration ago (10m) or an ISO 8601 time", HelpName = "when" };
        var limit = new Option<int>("--limit") { Description = $"At most this many requests, 1 to {MaxLimit} (default 100)", HelpName = "n", DefaultValueFactory = _ => 100 };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("ls", "List stored requests, newest first") { agent, state, since, limit, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var count = session.ParseResult.GetValue(limit);
            if (count is < 1 or > MaxLimit)
            {
                throw new CliException($"--limit must be from 1 to {MaxLimit}, got {count}", ExitCodes.Usage);
            }

            RequestState? wanted = session.ParseResult.GetValue(state) is { } text ? RequestsStates.Parse(text, "--state") : null;
            var from = SinceOption.Check(session.ParseResult.GetValue(since));
            using var client = session.CreateClient();
            var requests = await client.ListRequestsAsync(session.ParseResult.GetValue(agent), wanted, from, count, beforeSequence: null, cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, requests, format);
                return ExitCodes.Ok;
            }

            if (requests.Count == 0)
            {
                session.Console.WriteLine("no requests match");
                return ExitCodes.Ok;
            }

            session.OutConsole.Write(Table(requests, session.Context.Time.GetUtcNow()));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table Table(IReadOnlyList<RequestView> requests, DateTimeOffset now)
    {
        var table = new Table().NoBorder().AddColumns("ID", "AGENT", "STATE", "REQUEST", "STATUS", "ATTEMPTS", "LAST FAILURE", "AGE");
        foreach (var request in requests)
        {
            table.AddRow(
                new Text(request.Id),
                new Text(request.Agent),
                new Markup(RequestsStates.Markup(request.State)),
                new Text($"{request.Method} {request.Target}"),
                new Text(request.Status?.ToString(CultureInfo.InvariantCulture) ?? "-"),
                new Text($"{request.Attempts}/{request.MaxAttempts}"),
                new Text(request.LastFailure is { } failure ? Formats.Name(failure) : "-"),
                new Text(Formats.Age(request.AcceptedAt, now)));
        }

        return table;
    }
}
