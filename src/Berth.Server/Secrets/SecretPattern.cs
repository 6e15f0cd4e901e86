using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Server.Secrets;

/// <summary>
/// A regular expression matching a secret's value however a serializer wrote it, character by character: as is, JSON-escaped
/// (<c>\"</c>, <c>\/</c>, <c>\n</c>…, or <c>\uXXXX</c> in either case as System.Text.Json writes <c>+</c>, <c>"</c> and
/// non-ASCII, as Python writes non-ASCII and other serializers write anything) or percent-encoded (URLs and forms, either
/// hex case, <c>+</c> for a space). Each character is matched in any of its forms, so a value encoded by one serializer
/// with a mix of forms is still found. Base64 is not matched: a value inside a longer base64 text has no fixed form.
/// </summary>
internal static class SecretPattern
{
    public static Regex Build(string value)
    {
        var pattern = new StringBuilder();
        foreach (var rune in value.EnumerateRunes())
        {
            pattern.Append("(?:").Append(Regex.Escape(rune.ToString()));
            AppendJsonEscapes(pattern, rune);
            AppendPercentEncoding(pattern, rune);
            pattern.Append(')');
        }

        // No quantifiers or nested alternatives: matching is linear in the text, so no backtracking timeout is needed.
        return new Regex(pattern.ToString(), RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);
    }

    private static void AppendJsonEscapes(StringBuilder pattern, Rune rune)
    {
        Span<char> units = stackalloc char[2];
        var count = rune.EncodeToUtf16(units);
        pattern.Append('|');
        for (var i = 0; i < count; i++)
        {
            pattern.Append(@"\\u(?i:").Append(((int)units[i]).ToString("x4", CultureInfo.InvariantCulture)).Append(')');
        }

        var shortEscape = rune.Value switch
        {
            '"' => "\"",
            '\\' => @"\\",
            '/' => "/",
            '\b' => "b",
            '\f' => "f",
            '\n' => "n",
            '\r' => "r",
            '\t' => "t",
            _ => null,
        };
        if (shortEscape is not null)
        {
            pattern.Append(@"|\\").Append(Regex.Escape(shortEscape));
        }
    }

    private static void AppendPercentEncoding(StringBuilder pattern, Rune rune)
    {
        Span<byte> bytes = stackalloc byte[4];
        var count = rune.EncodeToUtf8(bytes);
        pattern.Append('|');
        for (var i = 0; i < count; i++)
        {
            pattern.Append("%(?i:").Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture)).Append(')');
        }

        if (rune.Value == ' ')
        {
            pattern.Append(@"|\+");
        }
    }
}
