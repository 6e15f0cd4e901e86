using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Dashboard;

/// <summary>
/// The read-only web dashboard: <c>GET /ui</c> (the page shell) and <c>GET /ui/assets/{version}/{file}</c> (its scripts,
/// styles and icon). Both are anonymous by design: they hold no data and no secret, and a browser cannot send a bearer
/// token when it loads a page or a module script. Everything the page shows it reads from <c>/api/v1</c> with the token the
/// user signs in with, which the page keeps in session storage and sends only in the <c>Authorization</c> header.
/// </summary>
internal static class DashboardEndpoints
{
    public const string ShellPath = "/ui";
    public const string AssetsPath = "/ui/assets";

    public static IEndpointRouteBuilder MapBerthDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet(ShellPath, Shell).WithName("DashboardShell").AllowAnonymous().ExcludeFromDescription();
        app.MapGet(AssetsPath + "/{version}/{file}", Asset).WithName("DashboardAsset").AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static FileContentHttpResult Shell(HttpResponse response)
    {
        DashboardHeaders.Apply(response, DashboardHeaders.ShellCacheControl);
        return TypedResults.File(DashboardAssets.Embedded.Shell, "text/html; charset=utf-8");
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Asset(string version, string file, HttpResponse response)
    {
        var assets = DashboardAssets.Embedded;
        if (version != assets.Version || assets.Find(file) is not { } asset)
        {
            // Neither value is echoed: the answer is the same for a stale version, an unknown name and a traversal attempt.
            return Problems.Problems.Problem(
                StatusCodes.Status404NotFound, "Dashboard asset not found", Problems.Problems.NotFoundType,
                "No such dashboard asset in this server's version; reload /ui to get the current one.");
        }

        DashboardHeaders.Apply(response, DashboardHeaders.AssetCacheControl);
        return TypedResults.File(asset.Content, asset.ContentType, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{assets.Version}\""));
    }
}
