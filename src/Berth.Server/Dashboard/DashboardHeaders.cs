using Microsoft.AspNetCore.Http;

namespace Berth.Server.Dashboard;

/// <summary>
/// The headers every dashboard answer carries. The Content-Security-Policy lets the page run only scripts and styles served
/// from this origin (no inline code, no eval), talk only to this origin, and never be framed; the token the page holds can
/// then be read only by the dashboard's own code.
/// </summary>
internal static class DashboardHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The shell: never cached, so a new server's asset version is seen on the next load.</summary>
    public const string ShellCacheControl = "no-cache";

    /// <summary>An asset: its URL names the version of every file, so it never changes under that URL.</summary>
    public const string AssetCacheControl = "public, max-age=31536000, immutable";

    public static void Apply(HttpResponse response, string cacheControl)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.CacheControl = cacheControl;
    }
}
