using System.CommandLine;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth tokens create|ls|revoke</c>: manage user tokens (admin only).</summary>
internal static class TokensCommand
{
    public static Command Create(CliContext context) =>
        new("tokens", "Create, list and revoke API tokens (needs an admin token)") { CreateVerb(context), ListVerb(context), RevokeVerb(context) };

    private static Command CreateVerb(CliContext context)
    {
        var role = new Option<string>("--role") { Description = "What the token may do: metrics (scrape /metrics only), viewer, operator or admin", Required = true };
        role.AcceptOnlyFromAmong("metrics", "viewer", "operator", "admin");
        var expires = new Option<string?>("--expires") { Description = "Lifetime like 30d or 12h, at most 3650d (default: never expires)", HelpName = "duration" };
        var description = new Option<string?>("--description") { Description = "What the token is for, shown by 'berth tokens ls'", HelpName = "text" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("create", "Create a token; it is printed once and cannot be shown again") { role, expires, description, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var created = await client.CreateTokenAsync(
                new CreateTokenRequest
                {
                    Role = session.ParseResult.GetRequiredValue(role),
                    Expires = session.ParseResult.GetValue(expires),
                    Description = session.ParseResult.GetValue(description),
                },
                cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format == OutputFormat.Table)
            {
                session.Out.WriteLine(created.Token);
            }
            else
            {
                DataWriter.Write(session.Out, created, format);
            }

            var record = created.Record;
            var lifetime = record.ExpiresAt is { } at ? $"expires {Formats.Time(at, session.Context.Time.GetUtcNow())}" : "never expires";
            session.Console.MarkupLineInterpolated($"[green]token {record.Id} created[/] (role {record.Role}, {lifetime})");
            session.Console.MarkupLine("[yellow]Store it now: Berth keeps only its hash and cannot show it again.[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListVerb(CliContext context)
    {
        var output = GlobalOptions.CreateOutput();
        var command = new Command("ls", "List tokens (never the tokens themselves)") { output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var tokens = await client.ListTokensAsync(cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, tokens, format);
                return ExitCodes.Ok;
            }

            var now = session.Context.Time.GetUtcNow();
            var table = new Table().NoBorder().AddColumns("ID", "ROLE", "STATUS", "CREATED", "EXPIRES", "LAST USED", "DESCRIPTION");
            foreach (var token in tokens)
            {
                table.AddRow(
                    new Text(token.Id),
                    new Text(token.Role),
                    new Text(token.Status),
                    new Text(Formats.Age(token.CreatedAt, now) + " ago"),
                    new Text(token.ExpiresAt is { } expires ? Formats.Time(expires, now) : "never"),
                    new Text(token.LastUsedAt is { } used ? Formats.Age(used, now) + " ago" : "never"),
                    new Text(token.Description ?? ""));
            }

            session.OutConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RevokeVerb(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The token's id, as 'berth tokens ls' shows it" };
        var command = new Command("revoke", "Revoke a token; it stops working at once") { id };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var revoked = await client.RevokeTokenAsync(session.ParseResult.GetRequiredValue(id), cancellationToken);
            session.Out.WriteLine($"token/{revoked.Id} revoked");
            return ExitCodes.Ok;
        });
        return command;
    }
}
