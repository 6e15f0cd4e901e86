using Berth.Server.Plugins.Execution;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Plugins.Api;

/// <summary>
/// The answer to a failed plugin call, by what went wrong: 400 a malformed reference, 404 not installed, 422 inputs that break
/// the schema, 502 the plugin failed or broke its contract, 503 no instance or an open breaker, 504 out of time. Each carries
/// the workflow error class, the plugin's own class when it gave one, the invocation id and the attempts made.
/// </summary>
internal static class PluginCallProblems
{
    public const string InvalidInputsType = "urn:berth:problem:invalid-plugin-inputs";
    public const string FailedType = "urn:berth:problem:plugin-failed";
    public const string UnavailableType = "urn:berth:problem:plugin-unavailable";
    public const string TimeoutType = "urn:berth:problem:plugin-timeout";

    public static ProblemHttpResult For(PluginCallException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var (status, title, type) = failure.Failure switch
        {
            PluginCallFailure.InvalidReference => (StatusCodes.Status400BadRequest, "Bad request", Problems.Problems.BadRequestType),
            PluginCallFailure.NotInstalled => (StatusCodes.Status404NotFound, "Plugin not found", Problems.Problems.NotFoundType),
            PluginCallFailure.InvalidInputs => (StatusCodes.Status422UnprocessableEntity, "Invalid plugin inputs", InvalidInputsType),
            PluginCallFailure.Unavailable => (StatusCodes.Status503ServiceUnavailable, "Plugin unavailable", UnavailableType),
            PluginCallFailure.BreakerOpen => (StatusCodes.Status503ServiceUnavailable, "Plugin circuit open", UnavailableType),
            PluginCallFailure.Timeout => (StatusCodes.Status504GatewayTimeout, "Plugin timed out", TimeoutType),
            _ => (StatusCodes.Status502BadGateway, "Plugin call failed", FailedType),
        };
        var extensions = new Dictionary<string, object?>
        {
            ["errorClass"] = PluginInvoker.NameOf(failure.Class),
            ["attempts"] = failure.Attempts,
        };
        if (failure.PluginErrorClass is { } own)
        {
            extensions["pluginErrorClass"] = own;
        }

        if (failure.InvocationId is { } invocation)
        {
            extensions["invocationId"] = invocation;
        }

        if (failure.Plugin is { } plugin)
        {
            extensions["plugin"] = plugin;
        }

        if (failure.Errors.Count > 0)
        {
            extensions["errors"] = failure.Errors;
        }

        return TypedResults.Problem(detail: Sentence(failure.Message), statusCode: status, title: title, type: type, extensions: extensions);
    }

    private static string Sentence(string message) =>
        message.Length > 0 ? char.ToUpperInvariant(message[0]) + message[1..] + (message.EndsWith('.') ? "" : ".") : message;
}
