using System.Text.Json.Nodes;

namespace Berth.Server.A2a;

/// <summary>
/// Points an A2A agent card at Berth: every field the A2A specification defines as the agent's own endpoint (v0.3's
/// <c>url</c> and <c>additionalInterfaces[].url</c>, v1.0's <c>supportedInterfaces[].url</c>) keeps its path and query but takes
/// Berth's proxy address for the agent, so a client that read the card calls the agent through Berth (authenticated, stored,
/// replayed) and never at an address it cannot reach. Other URLs (provider, documentation, icon, OAuth flows) are not the
/// agent's endpoint and stay as written. A signed card's signatures cover the original text and will no longer verify.
/// </summary>
internal static class AgentCardRewriter
{
    /// <summary>Rewrites <paramref name="card"/> in place to <paramref name="proxyBase"/> (<c>{berth}/agents/{name}</c>); returns the fields changed.</summary>
    public static IReadOnlyList<string> Rewrite(JsonObject card, string proxyBase)
    {
        var changed = new List<string>();
        RewriteField(card, "url", proxyBase, "url", changed);
        foreach (var list in (string[])["additionalInterfaces", "supportedInterfaces"])
        {
            if (card[list] is JsonArray interfaces)
            {
                for (var i = 0; i < interfaces.Count; i++)
                {
                    if (interfaces[i] is JsonObject entry)
                    {
                        RewriteField(entry, "url", proxyBase, $"{list}[{i}].url", changed);
                    }
                }
            }
        }

        return changed;
    }

    /// <summary>
    /// <paramref name="url"/> moved under <paramref name="proxyBase"/>, or null when it is not an absolute http(s) URL (a relative
    /// URL already resolves against the card's address, which is Berth's; another scheme is no HTTP endpoint Berth proxies).
    /// </summary>
    public static string? Through(string url, string proxyBase)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        return proxyBase.TrimEnd('/') + uri.PathAndQuery;
    }

    private static void RewriteField(JsonObject owner, string field, string proxyBase, string path, List<string> changed)
    {
        if (owner[field] is JsonValue value && value.TryGetValue<string>(out var url) && Through(url, proxyBase) is { } rewritten)
        {
            owner[field] = rewritten;
            changed.Add(path);
        }
    }
}
