using System.Globalization;

namespace Berth.Runtime.Docker.Engine;

/// <summary>Reads the engine's RFC 3339 times (with up to nanosecond precision) and writes its Unix-time query values.</summary>
internal static class DockerTimestamps
{
    private const string ZeroTimePrefix = "0001-01-01";

    /// <summary>Parses an RFC 3339 time; null for empty text or the engine's zero time.</summary>
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.StartsWith(ZeroTimePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        return TryParse(text, out var time) ? time : null;
    }

    /// <summary>Parses an RFC 3339 time, trimming fractions finer than .NET's 100 ns ticks.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset time)
    {
        var dot = text.IndexOf('.');
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = string.Concat(text[..(dot + 8)], text[end..]);
            }
        }

        return DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out time);
    }

    /// <summary>Formats a time as the engine's <c>seconds.nanoseconds</c> query value.</summary>
    public static string ToUnix(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{remainder * 100:D9}");
    }
}
