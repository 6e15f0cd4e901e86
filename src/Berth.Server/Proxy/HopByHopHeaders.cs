using Microsoft.Extensions.Primitives;
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

    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    /// <summary>True when the header must be dropped: a hop-by-hop header, or one the Connection header names.</summary>
    public static bool IsHopByHop(string name, IReadOnlySet<string> namedByConnection) =>
        Names.Contains(name) || namedByConnection.Contains(name);

    /// <summary>The further header names a Connection header value lists (beyond the standard hop-by-hop ones).</summary>
    public static IReadOnlySet<string> NamedBy(IEnumerable<string?> connectionValues)
    {
        if (connectionValues is StringValues { Count: 0 })
        {
            return None;
        }

        var named = connectionValues
            .SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(name => !Names.Contains(name))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return named.Count == 0 ? None : named;
    }
}
