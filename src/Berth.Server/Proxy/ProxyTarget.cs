using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Server.Proxy;

/// <summary>
/// The path and query an agent receives, taken from the request target exactly as the client sent it, less the
/// <c>/agents/{name}</c> prefix. Forwarding the raw form keeps the client's percent-encoding: <c>%252e</c> reaches the
/// agent as <c>%252e</c> (decoded once, by the agent), and <c>%2F</c> stays inside its segment.
/// </summary>
internal static class ProxyTarget
{
    /// <summary>
    /// The agent-relative path and query ("/" at least), or null when the target holds a '.' or '..' segment in any
    /// spelling (<c>..</c>, <c>%2e%2e</c>, <c>..%2f</c>, <c>..\</c>): such a target could name a route or an agent other than
    /// the one the prefix names, and no well-behaved client sends one (they resolve dot segments before sending).
    /// </summary>
    public static string? AgentRelative(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            raw = context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();
        }

        raw = StripSchemeAndAuthority(raw);
        var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? raw : raw[..queryStart];
        var query = queryStart < 0 ? "" : raw[queryStart..];
        var segments = path.Split('/');
        if (segments.Any(HasDotSegment))
        {
            return null;
        }

        // segments: "", "agents", "{name}", rest…; Kestrel decodes neither '/' nor "%2F" into a separator, so raw
        // segments line up one to one with the decoded path the route matched.
        var rest = segments.Length > 3 ? "/" + string.Join('/', segments.Skip(3)) : "/";
        return Escape(rest) + Escape(query);
    }

    private static string StripSchemeAndAuthority(string raw)
    {
        if (raw.StartsWith('/'))
        {
            return raw;
        }

        var scheme = raw.IndexOf("://", StringComparison.Ordinal);
        var slash = scheme < 0 ? -1 : raw.IndexOf('/', scheme + 3);
        return slash < 0 ? "/" : raw[slash..];
    }

    private static bool HasDotSegment(string rawSegment)
    {
        var pieces = rawSegment
            .Replace("%2f", "/", StringComparison.OrdinalIgnoreCase)
            .Replace("%5c", "/", StringComparison.OrdinalIgnoreCase)
            .Replace('\\', '/')
            .Split('/');
        return pieces.Any(p => Uri.UnescapeDataString(p) is "." or "..");
    }

    /// <summary>Percent-encodes anything that may not appear in a request target as it is (an existing %XX is kept).</summary>
    private static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:@/?%".Contains(c, StringComparison.Ordinal)))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
