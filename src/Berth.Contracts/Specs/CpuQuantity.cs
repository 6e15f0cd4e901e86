using System.Globalization;

namespace Berth.Core.Specs;

/// <summary>CPU amounts in cores: <c>0.5</c>, <c>2</c>, or millicores <c>500m</c>.</summary>
public static class CpuQuantity
{
    /// <summary>Parses a positive amount of cores. Returns false for anything else.</summary>
    public static bool TryParse(string? text, out double cores)
    {
        cores = 0;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return false;
        }

        var milli = trimmed.EndsWith('m');
        var number = milli ? trimmed[..^1] : trimmed;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ||
            !double.IsFinite(value) || value <= 0)
        {
            return false;
        }

        cores = milli ? value / 1000 : value;
        return true;
    }

    /// <summary>Formats as cores (<c>0.5</c>, <c>2</c>).</summary>
    public static string Format(double cores) => cores.ToString("0.###", CultureInfo.InvariantCulture);
}
