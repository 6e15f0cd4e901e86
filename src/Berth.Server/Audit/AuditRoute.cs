using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Audit;

/// <summary>How a route appears in audit records: its pattern (<c>/api/v1/agents/{name}</c>) and a short verb (<c>agents.apply</c>).</summary>
internal sealed record AuditRoute(string Pattern, string? Verb)
{
    private const string ApiPrefix = "/api/v1/";

    /// <summary>
    /// The verb is the API resource (the first segment after <c>/api/v1/</c>) and the first word of the endpoint's name:
    /// <c>ApplyAgent</c> on <c>/api/v1/agents/{name}</c> is <c>agents.apply</c>. Routes outside the API, or without a name, have none.
    /// </summary>
    public static AuditRoute For(RouteEndpoint endpoint)
    {
        var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
        var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        if (!pattern.StartsWith(ApiPrefix, StringComparison.Ordinal) || string.IsNullOrEmpty(name))
        {
            return new AuditRoute(pattern, null);
        }

        var resource = pattern[ApiPrefix.Length..].Split('/', 2)[0];
        var end = 1;
        while (end < name.Length && !char.IsUpper(name[end]))
        {
            end++;
        }

        return new AuditRoute(pattern, $"{resource}.{name[..end].ToLowerInvariant()}");
    }
}
