using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Mcp;

/// <summary>
/// The RFC 9728 protected-resource metadata of <c>/mcp</c>. It is anonymous by design, like <c>/healthz</c>: a client reads it
/// to learn how to authenticate before it has a token. Berth issues its own bearer tokens (no OAuth authorization server), so
/// the document names the resource and the header method and lists no authorization servers.
/// </summary>
internal static class ProtectedResourceDocument
{
    public const string Path = "/.well-known/oauth-protected-resource";

    /// <summary>The <c>WWW-Authenticate</c> parameter a 401 from an MCP endpoint carries.</summary>
    public static string ChallengeParameter(HttpRequest request) => $"resource_metadata=\"{Origin(request)}{Path}\"";

    public static JsonHttpResult<Document> Serve(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new Document(
            Resource: $"{Origin(context.Request)}{McpEndpoints.Path}",
            BearerMethodsSupported: ["header"],
            ResourceName: "Berth"));
    }

    // The host is the one the client used; McpHostFilter and Kestrel's host filtering decide which hosts reach the server at all.
    private static string Origin(HttpRequest request) => $"{request.Scheme}://{request.Host.ToUriComponent()}";

    internal sealed record Document(
        [property: System.Text.Json.Serialization.JsonPropertyName("resource")] string Resource,
        [property: System.Text.Json.Serialization.JsonPropertyName("bearer_methods_supported")] IReadOnlyList<string> BearerMethodsSupported,
        [property: System.Text.Json.Serialization.JsonPropertyName("resource_name")] string ResourceName);
}
