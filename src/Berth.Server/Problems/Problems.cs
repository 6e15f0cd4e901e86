using System.Globalization;
using System.Text.Json;
using Berth.Core.Specs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Problems;

/// <summary>RFC 7807 answers with a stable <c>type</c> per error class, so clients can branch on it.</summary>
internal static class Problems
{
    public const string ValidationType = "urn:berth:problem:validation";
    public const string NotFoundType = "urn:berth:problem:not-found";
    public const string ConflictType = "urn:berth:problem:conflict";
    public const string BadRequestType = "urn:berth:problem:bad-request";
    public const string UnavailableType = "urn:berth:problem:agent-unavailable";
    public const string BadGatewayType = "urn:berth:problem:bad-gateway";
    public const string GatewayTimeoutType = "urn:berth:problem:gateway-timeout";
    public const string DeadLetteredType = "urn:berth:problem:dead-lettered";
    public const string IdempotencyMismatchType = "urn:berth:problem:idempotency-key-reused";
    public const string PayloadTooLargeType = "urn:berth:problem:payload-too-large";
    public const string ExecNotSupportedType = "urn:berth:problem:exec-not-supported";
    public const string ExecIdleType = "urn:berth:problem:exec-idle";

    public static ProblemHttpResult Validation(IReadOnlyList<SpecError> errors) => TypedResults.Problem(
        detail: errors.Count == 1 ? errors[0].ToString() : $"The spec has {errors.Count} problems; see errors.",
        statusCode: StatusCodes.Status400BadRequest,
        title: "The spec is invalid",
        type: ValidationType,
        extensions: new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult BadRequest(string detail) =>
        Problem(StatusCodes.Status400BadRequest, "Bad request", BadRequestType, detail);

    public static ProblemHttpResult AgentNotFound(string name) =>
        Problem(StatusCodes.Status404NotFound, "Agent not found", NotFoundType, $"No agent named '{name}'. List agents with 'berth get agents'.");

    public static ProblemHttpResult WorkflowNotFound(string name) =>
        Problem(StatusCodes.Status404NotFound, "Workflow not found", NotFoundType, $"No workflow named '{name}'. List workflows with 'berth workflows ls'.");

    public static ProblemHttpResult CapabilityNotFound(string name) =>
        Problem(StatusCodes.Status404NotFound, "Capability not found", NotFoundType, $"No agent or plugin declares capability '{name}'. List capabilities with 'berth capabilities ls'.");

    public static ProblemHttpResult RunNotFound(string id) =>
        Problem(StatusCodes.Status404NotFound, "Run not found", NotFoundType, $"No run with id '{id}'. List runs with 'berth runs ls'.");

    /// <summary>A body that is not the JSON the route expects, with the JSON path of the first problem (<c>spec.steps[0].kind</c>).</summary>
    public static ProblemHttpResult InvalidJson(JsonException exception, string root)
    {
        var path = string.IsNullOrEmpty(exception.Path) ? root : root + exception.Path.TrimStart('$');

        // System.Text.Json appends "Path: … | LineNumber: …" to its messages; the path and position are reported separately (1-based, the column in bytes).
        var line = exception.LineNumber is { } number ? (int?)Math.Min(number + 1, int.MaxValue) : null;
        var column = exception.BytePositionInLine is { } position ? (int?)Math.Min(position + 1, int.MaxValue) : null;
        return Validation([new SpecError(path, exception.Message.Split(" Path:", 2)[0].Trim(), line, column)]);
    }

    public static ProblemHttpResult Conflict(string detail) =>
        Problem(StatusCodes.Status409Conflict, "Conflict", ConflictType, detail);

    /// <summary>
    /// The one 413 answer, for a body over <paramref name="max"/> bytes: the detail says whose limit it is (<paramref name="what"/>),
    /// how large it is, and what to do (<paramref name="remedy"/>, a sentence). The rest of the body is not read, so the
    /// connection is closed after the answer.
    /// </summary>
    public static ProblemHttpResult PayloadTooLarge(HttpContext context, long max, string what, string remedy)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.Connection = "close";
        var detail = string.Create(CultureInfo.InvariantCulture, $"The request body is larger than {what}: at most {Describe(max)} ({max} bytes). {remedy}");
        return Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", PayloadTooLargeType, detail);
    }

    /// <summary>The remedy for a limit an operator sets: names <paramref name="setting"/>.</summary>
    public static string ChangeTheSetting(string setting) => $"An operator can change the limit with the setting {setting}.";

    public static ProblemHttpResult Problem(int status, string title, string type, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type);

    private static string Describe(long bytes) => bytes % (1024 * 1024) == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB");
}
