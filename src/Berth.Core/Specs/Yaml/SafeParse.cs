namespace Berth.Core.Specs.Yaml;

/// <summary>Guards the shared parsers against huge numbers, for which they currently throw <see cref="OverflowException"/> instead of returning false.</summary>
internal static class SafeParse
{
    public static bool Duration(string text, out TimeSpan value)
    {
        try
        {
            return Specs.Duration.TryParse(text, out value);
        }
        catch (OverflowException)
        {
            value = TimeSpan.Zero;
            return false;
        }
    }

    public static bool ByteSize(string text, out long bytes)
    {
        try
        {
            return Specs.ByteSize.TryParse(text, out bytes);
        }
        catch (OverflowException)
        {
            bytes = 0;
            return false;
        }
    }
}
