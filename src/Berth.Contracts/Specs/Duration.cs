using System.Globalization;
using System.Text;

namespace Berth.Core.Specs;

/// <summary>Durations as people write them: <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>2d</c>.</summary>
public static class Duration
{
    /// <summary>Parses a duration made of one or more number-unit pairs (units ms, s, m, h, d). Returns false for anything else, including negative values.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var total = TimeSpan.Zero;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
            {
                digits++;
            }

            var units = digits;
            while (units < span.Length && char.IsAsciiLetterLower(span[units]))
            {
                units++;
            }

            if (digits == 0 || units == digits ||
                !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unit = span[digits..units];
            double? milliseconds = unit switch
            {
                "ms" => number,
                "s" => number * 1_000,
                "m" => number * 60_000,
                "h" => number * 3_600_000,
                "d" => number * 86_400_000,
                _ => null,
            };
            if (milliseconds is null)
            {
                return false;
            }

            if (milliseconds.Value > TimeSpan.MaxValue.TotalMilliseconds - total.TotalMilliseconds)
            {
                return false;
            }

            total += TimeSpan.FromMilliseconds(milliseconds.Value);
            span = span[units..];
        }

        value = total;
        return true;
    }

    /// <summary>Formats as the shortest exact form: <c>30s</c>, <c>1m30s</c>, <c>250ms</c>, <c>0.5ms</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        Append(builder, value.Days, "d");
        Append(builder, value.Hours, "h");
        Append(builder, value.Minutes, "m");
        Append(builder, value.Seconds, "s");
        var subSecondTicks = value.Ticks % TimeSpan.TicksPerSecond;
        if (subSecondTicks != 0)
        {
            var milliseconds = (decimal)subSecondTicks / TimeSpan.TicksPerMillisecond;
            builder.Append(milliseconds.ToString("0.####", CultureInfo.InvariantCulture)).Append("ms");
        }

        return builder.ToString();
    }

    private static void Append(StringBuilder builder, int amount, string unit)
    {
        if (amount != 0)
        {
            builder.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
