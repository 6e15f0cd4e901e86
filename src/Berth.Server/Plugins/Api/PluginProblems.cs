using Berth.Client.Contracts;
using Berth.Core.Specs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Plugins.Api;

/// <summary>The registry's problem answers: a package refused, a check failed (with the report), an unknown plugin.</summary>
internal static class PluginProblems
{
    public const string InvalidPackageType = "urn:berth:problem:invalid-plugin-package";
    public const string CheckFailedType = "urn:berth:problem:plugin-check-failed";

    public static ProblemHttpResult InvalidPackage(string message) =>
        Problems.Problems.Problem(StatusCodes.Status400BadRequest, "Invalid plugin package", InvalidPackageType, $"The plugin package was refused: {message}.");

    /// <summary>422 naming the first failing check; the report travels in <c>report</c>, the failing checks (or the manifest's errors) in <c>errors</c>.</summary>
    public static ProblemHttpResult CheckFailed(PluginCheckReport report, IReadOnlyList<SpecError>? manifestErrors)
    {
        var failure = report.FirstFailure!;
        var who = report.Id is null ? "The plugin" : $"{report.Id}@{report.Version}";
        var errors = manifestErrors ?? [.. report.Checks.Where(c => !c.Passed).Select(c => new SpecError($"check {c.Name}", c.Message))];
        return TypedResults.Problem(
            detail: $"{who} failed the contract check '{failure.Name}': {failure.Message}. Nothing was installed.",
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Plugin contract check failed",
            type: CheckFailedType,
            extensions: new Dictionary<string, object?> { ["check"] = failure.Name, ["errors"] = errors, ["report"] = report });
    }

    public static ProblemHttpResult Conflict(string detail, PluginCheckReport report) => TypedResults.Problem(
        detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict", type: Problems.Problems.ConflictType,
        extensions: new Dictionary<string, object?> { ["report"] = report });

    public static ProblemHttpResult NotFound(string id, string? version) => Problems.Problems.Problem(
        StatusCodes.Status404NotFound, "Plugin not found", Problems.Problems.NotFoundType,
        version is null ? $"No plugin '{id}' is installed. List plugins with 'berth plugins ls'." : $"Version {version} of plugin '{id}' is not installed. See its versions with 'berth plugins describe {id}'.");
}
