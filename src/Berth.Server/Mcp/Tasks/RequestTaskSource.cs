using System.Security.Claims;
using System.Text.Json;
using Berth.Core.Requests;
using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Server.Mcp.Tools;
using Berth.Server.Proxy;
using Berth.Server.Requests;
using Berth.Server.Secrets;
using Berth.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp.Tasks;

/// <summary>
/// Slow <c>call_agent</c> calls as tasks: the stored proxy request is the task (id <c>request-{request id}</c>), read from the
/// request store, so a task outlives a server restart as the request does. Accepted, dispatched and retrying requests are
/// <c>working</c>; a completed one is <c>completed</c> with the <c>call_agent</c> answer built from the stored response; a
/// dead-lettered one is <c>completed</c> with <c>isError</c> and the dead letter's message (the tool ran; the agent never
/// took the request). Texts pass the secret redactor, as in <c>/api/v1/requests</c>. A stored request cannot be stopped
/// (the API has no such operation), so cancelling acknowledges and leaves the request to finish.
/// </summary>
internal sealed class RequestTaskSource(IRequestStore store, RequestJournal journal, SecretRedactor redactor) : IMcpTaskSource
{
    public const string TaskPrefix = "request-";

    public string Prefix => TaskPrefix;

    public string CancelPolicy => BerthPolicies.Operator;

    public static string TaskId(string requestId) => TaskPrefix + requestId;

    public async Task<McpTask?> GetAsync(string id, CancellationToken cancellationToken)
    {
        // Outcomes the journal has queued but not written yet are read as the API reads them: after a flush.
        await journal.FlushAsync(cancellationToken);
        if (await store.GetAsync(id, cancellationToken) is not { } request)
        {
            return null;
        }

        var finished = request.State is RequestState.Completed or RequestState.DeadLettered;
        return new McpTask
        {
            TaskId = TaskId(request.Id),
            Status = finished ? TaskStatuses.Completed : TaskStatuses.Working,
            StatusMessage = StatusMessage(request),
            CreatedAt = request.AcceptedAt,
            LastUpdatedAt = request.UpdatedAt,
            Result = finished ? Result(request) : null,
        };
    }

    // Nothing stops a stored request once accepted: a known one is acknowledged and goes on (see the type's summary).
    public async Task<bool> CancelAsync(string id, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is not null;

    private string StatusMessage(ProxiedRequest request)
    {
        var text = $"request {RequestCommands.Name(request.State)}: {request.Attempts} of {request.MaxAttempts} attempts";
        return request.LastError is { } error && request.State != RequestState.Completed
            ? $"{text}; last error: {redactor.Redact(Cut(error))}"
            : text;
    }

    private CallToolResult Result(ProxiedRequest request)
    {
        if (request is not { State: RequestState.Completed, Response: { } response })
        {
            var problem = (ProblemHttpResult)StoredAnswers.For(request with { LastError = Cut(request.LastError) }, request.Id, replayed: false);
            return new ToolFailure(redactor.Redact(ToolFailure.From(problem).Message)!, problem.StatusCode).ToResult();
        }

        var headers = response.Message.Headers
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => redactor.Redact(string.Join(", ", g.Select(h => h.Value)))!, StringComparer.OrdinalIgnoreCase);
        headers[AttemptSender.RequestIdHeader] = request.Id;
        var body = response.Message.Body;
        var kept = body.Length > InProcessProxy.MaxResponseBytes ? body[..InProcessProxy.MaxResponseBytes] : body;
        var answer = AgentCallResult.From(new AgentAnswer(response.Status, headers, kept, Math.Max(response.Length, body.Length)));
        if (answer.BodyEncoding == "utf-8")
        {
            answer = answer with { Body = redactor.Redact(answer.Body)! };
        }

        var element = JsonSerializer.SerializeToElement(answer, BerthJson.Options);
        return new CallToolResult { Content = [new TextContentBlock { Text = element.GetRawText() }], StructuredContent = element };
    }

    // An agent's error text is bounded before it is shown.
    private static string? Cut(string? text) => text is { Length: > 1000 } ? text[..1000] + "…" : text;
}
