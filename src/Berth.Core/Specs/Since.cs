using System.Globalization;

namespace Berth.Core.Specs;

/// <summary>"Since when" as people write it: a duration ago (<c>10m</c>, <c>7d</c>) or an ISO 8601 time (UTC unless it says otherwise).</summary>
public static class Since
{
    /// <summary>What an accepted value looks like, for error messages.</summary>
    public const string Hint = "a duration like 10m, 1h or 7d, or an ISO 8601 time like 2026-01-01T10:00:00Z";

    /// <summary>Parses <paramref name="text"/> relative to <paramref name="now"/>; a duration reaching before the calendar's start gives its first instant.</summary>
    public static bool TryParse(string? text, DateTimeOffset now, out DateTimeOffset since)
    {
        if (Duration.TryParse(text, out var ago))
        {
            since = ago < now - DateTimeOffset.MinValue ? now - ago : DateTimeOffset.MinValue;
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out since);
    }

    /// <summary>True when <paramref name="text"/> has one of the accepted forms.</summary>
    public static bool IsValid(string? text) => TryParse(text, DateTimeOffset.UnixEpoch, out _);
}
