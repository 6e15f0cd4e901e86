using System.CommandLine;
using System.CommandLine.Parsing;
using Berth.Cli.Output;
using Berth.Core.Messaging;
using Berth.Core.Specs;
using Spectre.Console;

namespace Berth.Cli.Commands.Messaging;

/// <summary>Options the messaging verbs share, the delivery states as people type them, and the confirmation before dropping messages.</summary>
internal static class MessagingOptions
{
    /// <summary>The states a held message can be in, as the API spells them.</summary>
    public static readonly string[] States = [.. Enum.GetValues<DeliveryState>().Select(s => Formats.Name(s))];

    /// <summary>An optional duration (<c>30s</c>, <c>5m</c>) that must be more than zero; null when not given.</summary>
    public static Option<TimeSpan?> CreateDuration(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "duration",
        CustomParser = ParsePositiveDuration,
    };

    /// <summary><c>--state ready|leased|dead</c>; the shell completes the three names and anything else is a usage error.</summary>
    public static Option<string?> CreateState(string description)
    {
        var option = new Option<string?>("--state") { Description = description, HelpName = "state" };
        option.AcceptOnlyFromAmong(States);
        return option;
    }

    /// <summary>A positive count no larger than <paramref name="most"/>, or null when not given.</summary>
    public static int? Count(CliSession session, Option<int?> option, int most)
    {
        var value = session.ParseResult.GetValue(option);
        return value is < 1 || value > most
            ? throw new CliException($"{option.Name} must be from 1 to {most}, got {value}", ExitCodes.Usage)
            : value;
    }

    public static DeliveryState? State(CliSession session, Option<string?> option) =>
        session.ParseResult.GetValue(option) is { } text
            ? Enum.GetValues<DeliveryState>().First(s => Formats.Name(s) == text)
            : null;

    /// <summary>
    /// True when the user passed <c>--yes</c> or answered yes; a usage error naming <c>--yes</c> when no prompt can be shown.
    /// Prints "nothing changed" when the answer was no.
    /// </summary>
    public static async Task<bool> ConfirmAsync(CliSession session, bool yes, string what, string question, CancellationToken cancellationToken)
    {
        if (yes)
        {
            return true;
        }

        if (!session.CanPrompt)
        {
            throw new CliException($"{what} needs confirmation and no prompt can be shown here: pass --yes", ExitCodes.Usage);
        }

        if (await new ConfirmationPrompt(Markup.Escape(question)) { DefaultValue = false }.ShowAsync(session.Console, cancellationToken))
        {
            return true;
        }

        session.Console.WriteLine("nothing changed");
        return false;
    }

    private static TimeSpan? ParsePositiveDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Duration.TryParse(text, out var value) && value > TimeSpan.Zero)
        {
            return value;
        }

        result.AddError($"'{text}' is not a duration above zero; write it like 30s, 2m or 1h30m");
        return null;
    }
}
