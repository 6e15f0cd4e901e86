using System.Security.Claims;
using Berth.Client.Contracts;
using Berth.Core.Specs;
using Berth.Server.Plugins.Install;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Plugins.Api;

/// <summary>The <c>/api/v1/plugins</c> routes: install and check a package, list and describe, invoke and list invocations, remove a version or a plugin.</summary>
internal static class PluginsApi
{
    private static readonly string[] PackageTypes = ["application/gzip", "application/x-gzip", "application/octet-stream"];
    private const int MaxSourceLength = 500;

    public static RouteGroupBuilder MapPluginsApi(this RouteGroupBuilder api)
    {
        var plugins = api.MapGroup("/plugins").WithTags("Plugins").RequireAuthorization(BerthPolicies.Viewer);
        var changes = plugins.MapGroup("").RequireAuthorization(BerthPolicies.Operator);
        plugins.MapGet("/", async (PluginViews views, CancellationToken ct) => TypedResults.Ok(await views.ListAsync(ct))).WithName("ListPlugins");
        plugins.MapGet("/{id}", GetAsync).WithName("GetPlugin");
        changes.MapPost("/", InstallAsync).WithName("InstallPlugin").Accepts<Stream>(PackageTypes[0], PackageTypes[1..])
            .WithDescription("Body: the plugin package, a .tar.gz of its folder. Query: source (text kept with the version). Runs the contract check; registers nothing unless it passes.");
        changes.MapPost("/check", CheckAsync).WithName("CheckPlugin").Accepts<Stream>(PackageTypes[0], PackageTypes[1..])
            .WithDescription("Body: the plugin package, a .tar.gz of its folder. Runs the contract check and registers nothing; 200 with the report either way.");
        changes.MapPost("/{reference}/invoke", PluginInvokeApi.InvokeAsync).WithName("InvokePlugin").Accepts<PluginInvokeRequest>("application/json")
            .WithDescription("Body: {\"inputs\": {…}}, at most Berth:Plugins:MaxPayloadBytes. reference: id, id@1.2.0 or id@^1 (the newest installed match). 404 not installed, 422 inputs that break the schema, 502 the plugin failed, 503 unavailable or breaker open, 504 timeout.");
        plugins.MapGet("/{id}/invocations", PluginInvokeApi.ListInvocationsAsync).WithName("ListPluginInvocations")
            .WithDescription("The newest recorded calls of every version, newest first. Query: limit (1 to 1000, default 50).");
        changes.MapDelete("/{id}", (string id, PluginInstaller installer, CancellationToken ct) => RemoveAsync(id, null, installer, ct)).WithName("RemovePlugin");
        changes.MapDelete("/{id}/versions/{version}", (string id, string version, PluginInstaller installer, CancellationToken ct) => RemoveAsync(id, version, installer, ct))
            .WithName("RemovePluginVersion");
        return api;
    }

    private static async Task<Results<Ok<PluginDetail>, ProblemHttpResult>> GetAsync(string id, PluginViews views, CancellationToken ct) =>
        await views.GetAsync(id, ct) is { } detail ? TypedResults.Ok(detail) : PluginProblems.NotFound(id, null);

    private static async Task<Results<Created<PluginInstallResponse>, ProblemHttpResult>> InstallAsync(
        HttpRequest request, ClaimsPrincipal user, PluginInstaller installer, CancellationToken ct)
    {
        if (Refuse(request, out var source) is { } refused)
        {
            return refused;
        }

        PluginInstallOutcome outcome;
        try
        {
            outcome = await installer.RunAsync(request.Body, source, user.Identity?.Name ?? "unknown", ct);
        }
        catch (PluginPackageException ex)
        {
            return PluginProblems.InvalidPackage(ex.Message);
        }

        if (outcome.Conflict is { } conflict)
        {
            return PluginProblems.Conflict(conflict, outcome.Report);
        }

        return outcome.Installed is { } installed
            ? TypedResults.Created($"/api/v1/plugins/{installed.Id}", new PluginInstallResponse { Plugin = installed, Report = outcome.Report })
            : PluginProblems.CheckFailed(outcome.Report, outcome.ManifestErrors);
    }

    private static async Task<Results<Ok<PluginCheckReport>, ProblemHttpResult>> CheckAsync(HttpRequest request, PluginInstaller installer, CancellationToken ct)
    {
        if (Refuse(request, out var source) is { } refused)
        {
            return refused;
        }

        try
        {
            var outcome = await installer.RunAsync(request.Body, source, installedBy: null, ct);
            return outcome.Conflict is { } conflict ? PluginProblems.Conflict(conflict, outcome.Report) : TypedResults.Ok(outcome.Report);
        }
        catch (PluginPackageException ex)
        {
            return PluginProblems.InvalidPackage(ex.Message);
        }
    }

    private static async Task<Results<Ok<PluginRemoveResponse>, ProblemHttpResult>> RemoveAsync(string id, string? version, PluginInstaller installer, CancellationToken ct)
    {
        var removed = await installer.RemoveAsync(id, version, ct);
        return removed.Count == 0 ? PluginProblems.NotFound(id, version) : TypedResults.Ok(new PluginRemoveResponse { Id = id, Removed = removed });
    }

    /// <summary>A body that is not a package, or a <c>source</c> that could split a log line: the answer; else null.</summary>
    private static ProblemHttpResult? Refuse(HttpRequest request, out string source)
    {
        source = request.Query["source"].ToString();
        var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
        if (!string.IsNullOrEmpty(mediaType) && !PackageTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return Problems.Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", Secrets.SecretsApi.UnsupportedMediaType,
                $"Send the plugin package (a .tar.gz of its folder) as the raw body with Content-Type application/gzip, not {mediaType}.");
        }

        if (source.Length > MaxSourceLength || source.Any(char.IsControl))
        {
            return Problems.Problems.Validation([new SpecError("source", $"expected plain text of at most {MaxSourceLength} characters, like 'dir ./text-analysis'")]);
        }

        source = source.Length == 0 ? "upload" : source;
        return null;
    }
}
