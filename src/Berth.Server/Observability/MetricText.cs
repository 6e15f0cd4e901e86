using System.Text.Json;

namespace Berth.Server.Observability;

/// <summary>Tag values as metrics show them: enum values in the API's spelling, HTTP methods from a closed set.</summary>
internal static class MetricText
{
    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal) { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE" };

    /// <summary>The enum value as the API and the store spell it (<c>dead-lettered</c>).</summary>
    public static string Of<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>The method, or <c>_OTHER</c> for one outside the standard set (OpenTelemetry's rule), so a caller cannot mint label values.</summary>
    public static string Method(string method) => KnownMethods.Contains(method) ? method : "_OTHER";
}
