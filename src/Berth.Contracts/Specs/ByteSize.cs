using System.Globalization;

namespace Berth.Core.Specs;

/// <summary>Sizes in Kubernetes notation: <c>512Mi</c>, <c>2Gi</c>, <c>100M</c>, <c>1024</c> (bytes).</summary>
public static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40),
        ("k", 1_000), ("K", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000),
    ];

    /// <summary>Parses a positive size. Returns false for anything else.</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return false;
        }

        var (number, factor) = Split(trimmed);
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return false;
        }

        if (amount > long.MaxValue / (decimal)factor)
        {
            return false;
        }

        var total = amount * factor;
        if (total != decimal.Truncate(total))
        {
            return false;
        }

        bytes = (long)total;
        return true;
    }

    /// <summary>Formats with the largest binary unit that divides exactly: <c>512Mi</c>, <c>1536Ki</c>, <c>1000</c>.</summary>
    public static string Format(long bytes)
    {
        foreach (var (suffix, factor) in Units.Where(u => u.Suffix.EndsWith('i')).Reverse())
        {
            if (bytes >= factor && bytes % factor == 0)
            {
                return (bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    private static (string Number, long Factor) Split(string text)
    {
        foreach (var (suffix, factor) in Units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
            {
                return (text[..^suffix.Length], factor);
            }
        }

        return (text, 1);
    }
}
