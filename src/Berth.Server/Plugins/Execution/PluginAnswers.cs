using System.Net;
using System.Text.Json.Nodes;
using Berth.Core.Workflows;
using Berth.Server.Plugins.Contract;

namespace Berth.Server.Plugins.Execution;

/// <summary>
/// What a plugin's answer to <c>/execute</c> means for the call: its outputs, checked against the output schema, or the
/// failure with its error class. A plugin's own <c>error.class</c> is kept; when it names a workflow error class
/// (<c>transient</c>, <c>timeout</c>, …) the call fails with that class, so a plugin can ask for a retry.
/// </summary>
internal static class PluginAnswers
{
    /// <summary>The outputs of <paramref name="answer"/>, or throws the <see cref="PluginCallException"/> it amounts to.</summary>
    public static JsonObject OutputsOf(ExecuteAnswer answer, PluginSchemas schemas, PluginCall call)
    {
        if (answer.Problem is { } problem)
        {
            throw IsTransient(answer.Status)
                ? call.Fail(ErrorClass.Transient, PluginCallFailure.Unreachable, $"{call.Plugin.Reference} answered {answer.Status} without the contract's answer: {problem}")
                : call.Fail(ErrorClass.User, PluginCallFailure.BadAnswer, $"{call.Plugin.Reference} broke the plugin contract (HTTP {answer.Status}): {problem}");
        }

        if (!answer.Success)
        {
            var own = answer.ErrorClass ?? "user";
            var errorClass = ClassOf(own) ?? (IsTransient(answer.Status) ? ErrorClass.Transient : ErrorClass.User);
            throw call.Fail(errorClass, PluginCallFailure.PluginError, $"{call.Plugin.Reference} failed ({own}): {answer.ErrorMessage}", own);
        }

        var outputs = answer.Outputs!;
        var problems = schemas.CheckOutputs(outputs);
        return problems.Count == 0
            ? outputs
            : throw call.Fail(ErrorClass.User, PluginCallFailure.InvalidOutputs,
                $"the outputs of {call.Plugin.Reference} do not match its output schema: {string.Join("; ", problems)}", errors: problems);
    }

    /// <summary>Whether a plugin that answered <paramref name="status"/> may do better on another attempt.</summary>
    public static bool IsTransient(int status) =>
        status >= 500 || status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests;

    /// <summary>The workflow error class a plugin's <c>error.class</c> names, or null when it names none a plugin may give.</summary>
    public static ErrorClass? ClassOf(string pluginClass) => pluginClass switch
    {
        "transient" => ErrorClass.Transient,
        "timeout" => ErrorClass.Timeout,
        "resource" => ErrorClass.Resource,
        "user" => ErrorClass.User,
        "config" => ErrorClass.Config,
        _ => null,
    };
}
