using Microsoft.Net.Http.Headers;

namespace Berth.Server.Proxy;

/// <summary>Headers that describe one connection (RFC 9110 §7.6.1) and must not be forwarded across the proxy.</summary>
internal static class HopByHopHeaders
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Connection,
        HeaderNames.KeepAlive,
        HeaderNames.ProxyAuthenticate,
        HeaderNames.ProxyAuthorization,
        HeaderNames.TE,
        HeaderNames.Trailer,
        HeaderNames.TransferEncoding,
        HeaderNames.Upgrade,
        "Proxy-Connection",
    };

    /// <summary>True when the header must be dropped: a hop-by-hop header, or one the Connection header names.</summary>
    public static bool IsHopByHop(string name, IReadOnlySet<string> namedByConnection) =>
        Names.Contains(name) || namedByConnection.Contains(name);

    /// <summary>The header names listed in a Connection header value.</summary>
    public static IReadOnlySet<string> NamedBy(IEnumerable<string?> connectionValues) =>
        connectionValues
            .SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
}
