using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;

namespace Berth.Core.Workflows;

/// <summary>
/// A cron expression of a <see cref="ScheduleSpec"/>, read in one of two forms and evaluated by Cronos:
/// standard 5-field cron (<c>*/5 * * * *</c>: minute hour day-of-month month day-of-week, days of the week 0-7 with 0 and 7 = SUN),
/// or the Quartz form that stored specs use (<c>0 0 3 * * ?</c>: seconds first, days of the week 1-7 with 1 = SUN, an optional
/// seventh year field that may only be <c>*</c>). Both take names (JAN-DEC, SUN-SAT), <c>?</c>, <c>L</c>, <c>W</c> and <c>#</c>.
/// When day-of-month and day-of-week are both restricted (neither <c>*</c> nor <c>?</c>), a day matching either one counts, as in cron and Quartz.
/// </summary>
public sealed partial class CronSchedule
{
    private const string CronosPreamble = "The given cron expression has an invalid format. ";
    private const string QuartzDays = "in the 6-field Quartz form days of the week are 1-7 (1 = SUN, 7 = SAT) or SUN-SAT";
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    // Lowest and highest value of each field, seconds first; days of the week as Cronos numbers them once translated (0 = SUN).
    private static readonly (int Low, int High)[] Bounds = [(0, 59), (0, 59), (0, 23), (1, 31), (1, 12), (0, 6)];

    // Cronos reads the two day fields with AND and takes neither L nor W inside a list, so the schedule is the union of these.
    private readonly CronExpression[] _expressions;

    private CronSchedule(string text, CronExpression[] expressions)
    {
        Text = text;
        _expressions = expressions;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>Reads <paramref name="text"/>; on failure <paramref name="error"/> names the field at fault (<c>Minutes: ...</c>).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out CronSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        var fields = (text ?? "").ToUpperInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is < 5 or > 7)
        {
            error = $"expected 5 fields (minute hour day-of-month month day-of-week, like */5 * * * *) or the Quartz form's 6 or 7 (seconds first, like 0 0 3 * * ?), got {fields.Length}";
            return false;
        }

        if (fields.Length == 7 && fields[6] != "*")
        {
            error = $"Year: '{fields[6]}' is not supported; only * (every year) is, or leave the year field out";
            return false;
        }

        var quartz = fields.Length > 5;
        fields = fields[..(quartz ? 6 : 5)];
        if (!TryRewriteDaysOfWeek(fields[^1], quartz, out fields[^1], out error))
        {
            return false;
        }

        var bounds = Bounds[^fields.Length..];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = SpellOutStarsInList(fields[i], bounds[i]);
        }

        try
        {
            var format = quartz ? CronFormat.IncludeSeconds : CronFormat.Standard;
            var expressions = DayVariants(fields[^3], fields[^1])
                .Select(days => CronExpression.Parse(string.Join(' ', [.. fields[..^3], days.Month, fields[^2], days.Week]), format))
                .ToArray();
            schedule = new CronSchedule(text!, expressions);
            return true;
        }
        catch (CronFormatException exception)
        {
            var message = exception.Message;
            error = message.StartsWith(CronosPreamble, StringComparison.Ordinal) ? message[CronosPreamble.Length..] : message;
            return false;
        }
    }

    /// <summary>The first time strictly after <paramref name="after"/> that the expression names, read as wall-clock time in <paramref name="zone"/>; null when there is none (like 30 February).</summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone) => _expressions.Min(e => e.GetNextOccurrence(after, zone));

    /// <inheritdoc/>
    public override string ToString() => Text;

    /// <summary>Both day fields restricted mean either day (cron's and Quartz's OR); L and W items of a list each stand alone.</summary>
    private static IEnumerable<(string Month, string Week)> DayVariants(string dayOfMonth, string dayOfWeek)
    {
        if (dayOfMonth is "*" or "?")
        {
            yield return (dayOfMonth, dayOfWeek);
            yield break;
        }

        var items = dayOfMonth.Split(',');
        var plain = items.Where(i => !i.Contains('L', StringComparison.Ordinal) && !i.Contains('W', StringComparison.Ordinal)).ToArray();
        if (plain.Length > 0)
        {
            yield return (string.Join(',', plain), "*");
        }

        foreach (var special in items.Except(plain))
        {
            yield return (special, "*");
        }

        if (dayOfWeek is not ("*" or "?"))
        {
            yield return ("*", dayOfWeek);
        }
    }

    /// <summary>Cronos takes <c>*</c> and <c>*/n</c> only as a whole field; Quartz also as an item of a list.</summary>
    private static string SpellOutStarsInList(string field, (int Low, int High) bounds) =>
        !field.Contains(',', StringComparison.Ordinal)
            ? field
            : string.Join(',', field.Split(',').Select(i => i.StartsWith('*') ? $"{bounds.Low}-{bounds.High}{i[1..]}" : i));

    /// <summary>
    /// Renumbers Quartz's days of the week (1 = SUN) to Cronos's (0 = SUN), leaving steps and <c>#</c> counts alone, and ends a
    /// step from a day (<c>3/2</c>) at SAT in both forms: Cronos would go on to 7, its second SUN, which neither cron nor Quartz reaches.
    /// </summary>
    private static bool TryRewriteDaysOfWeek(string field, bool quartz, out string rewritten, [NotNullWhen(false)] out string? error)
    {
        rewritten = field;
        error = null;
        if (quartz && field == "L")
        {
            rewritten = "6"; // Quartz: L on its own is the last day of the week, SAT.
            return true;
        }

        var items = field.Split(',');
        for (var i = 0; i < items.Length; i++)
        {
            var match = DayItem().Match(items[i]);
            if (items[i] is "*" or "?" || items[i].StartsWith("*/", StringComparison.Ordinal) || (!match.Success && !quartz))
            {
                continue;
            }

            if (!match.Success)
            {
                error = $"Days of week: cannot read '{items[i]}'; {QuartzDays}, with ranges (MON-FRI), steps (2/2), 6L (the last FRI) or 6#3 (the third FRI)";
                return false;
            }

            var from = match.Groups["from"].Value;
            var to = match.Groups["to"].Success ? match.Groups["to"].Value : null;
            if (quartz && (!TryQuartzDay(from, out from, out error) || (to is not null && !TryQuartzDay(to, out to, out error))))
            {
                return false;
            }

            var tail = match.Groups["tail"].Value;
            items[i] = to is not null ? $"{from}-{to}{tail}" : tail.StartsWith('/') && from != "7" ? $"{from}-6{tail}" : $"{from}{tail}";
        }

        rewritten = string.Join(',', items);
        return true;
    }

    private static bool TryQuartzDay(string text, out string day, [NotNullWhen(false)] out string? error)
    {
        error = null;
        var index = Array.IndexOf(DayNames, text);
        if (index < 0 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 7)
        {
            index = number - 1;
        }

        day = index.ToString(CultureInfo.InvariantCulture);
        if (index < 0)
        {
            error = $"Days of week: '{text}' is not a day; {QuartzDays} (5-field cron numbers them 0-7 with 0 = SUN)";
        }

        return index >= 0;
    }

    [GeneratedRegex("^(?<from>[0-9]+|[A-Z]{3})(?:-(?<to>[0-9]+|[A-Z]{3}))?(?<tail>L|#[0-9]+|/[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DayItem();
}
