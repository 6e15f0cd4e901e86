using Berth.Client.Errors;
using Berth.Core.Specs;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp;

/// <summary>
/// A tool that could not do what it was asked, with the message the CLI prints for the same problem
/// (<see cref="BerthApiException"/> formats both), so a model reads what a person would. <see cref="ToolFailureFilter"/>
/// turns it into a result with <c>isError</c> and that message alone.
/// </summary>
internal sealed class ToolFailure(string message, int status = 400) : Exception(message)
{
    /// <summary>The HTTP status the API answers the same failure with (403 for a role refusal); the audit records it.</summary>
    public int Status { get; } = status;

    public static ToolFailure From(ProblemHttpResult problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var details = problem.ProblemDetails;
        var errors = details.Extensions.TryGetValue("errors", out var value) && value is IReadOnlyList<SpecError> list ? list : null;
        return new ToolFailure(new BerthApiException(problem.StatusCode, details.Title ?? "Error", details.Detail, details.Type, errors).Message, problem.StatusCode);
    }

    /// <summary>The value, or the failure for <paramref name="problem"/> when there is none.</summary>
    public static T OrThrow<T>(T? value, Func<ProblemHttpResult> problem)
        where T : class => value ?? throw From(problem());

    /// <summary>The API's answer as a tool's: its value, or the failure its problem describes.</summary>
    public static T Unwrap<T>(Results<Ok<T>, ProblemHttpResult> answer) => answer.Result switch
    {
        Ok<T> { Value: { } value } => value,
        ProblemHttpResult problem => throw From(problem),
        var other => throw new InvalidOperationException($"Unexpected answer {other.GetType().Name}."),
    };

    public CallToolResult ToResult() => new() { IsError = true, Content = [new TextContentBlock { Text = Message }] };
}
