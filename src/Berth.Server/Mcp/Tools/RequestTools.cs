using System.ComponentModel;
using System.Security.Claims;
using System.Text;
using Berth.Client.Contracts;
using Berth.Server.Mcp.Tasks;
using Berth.Server.Proxy;
using Berth.Server.Requests;
using Berth.Server.Security;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Tools;

/// <summary>
/// Calling agents through Berth's proxy with the caller's own identity (<see cref="InProcessProxy"/>: the proxy's policy,
/// persistence and idempotency rules, as for an HTTP client), and the stored requests that persistence keeps.
/// </summary>
[McpServerToolType]
internal sealed class RequestTools(
    InProcessProxy proxy, CallAgentTasks tasks, RequestCommands requests, RequestJournal journal, IHttpContextAccessor http)
{
    [McpServerTool(Name = "call_agent", Title = "Call an agent", ReadOnly = false, Idempotent = false, Destructive = true, OpenWorld = true, UseStructuredContent = true)]
    [Description(
        "Sends an HTTP request to an agent through Berth's proxy, as the caller: the agent never sees the caller's token. With the " +
        "agent's persistence on, the request is stored first; an Idempotency-Key header makes a repeat return the stored answer; " +
        "when the agent is down past the wait (Berth-Wait header, like 30s), the answer is 202 with the stored request's id (see " +
        "list_requests). Returns the status, headers and body (UTF-8 text, or base64 with bodyEncoding base64; at most 1 MiB, " +
        "truncated says when cut). Clients that use the tasks extension get a task for a call to an agent with persistence on " +
        "(the stored request, so it survives a restart); with persistence off the call is always answered when it ends. " +
        "Needs the operator role.")]
    [ToolPolicy(BerthPolicies.Operator)]
    [TaskSupport]
    public async Task<AgentCallResult> CallAgentAsync(
        RequestContext<CallToolRequestParams> request,
        ClaimsPrincipal user,
        [Description("The agent's name.")] string name,
        [Description("The HTTP method: GET, POST, PUT, DELETE, PATCH…")] string method,
        [Description("The path and query at the agent, starting with '/', like /v1/chat?stream=false.")] string path,
        [Description("The request body as text (sent as UTF-8); JSON unless a Content-Type header says otherwise.")] string? body = null,
        [Description("Request headers by name, at most 32; Authorization, Host, hop-by-hop and X-Forwarded-* headers are refused.")] Dictionary<string, string>? headers = null,
        CancellationToken cancellationToken = default)
    {
        var (call, error) = AgentCall.Create(name, method, path, WithContentType(headers, body), body);
        if (call is null)
        {
            throw new ToolFailure($"Bad request (HTTP 400): {error}");
        }

        if (TaskOffer.Of(request) is { } offer && await tasks.IsDurableAsync(call.Name, cancellationToken))
        {
            var (id, early, failed) = await tasks.StartAsync(call, user, http.HttpContext, cancellationToken);
            if (id is not null)
            {
                // The answer is the task (read back from the store by TaskCreation); this placeholder is never sent.
                offer.Accept(RequestTaskSource.TaskId(id));
                return new AgentCallResult(StatusCodes.Status202Accepted, new Dictionary<string, string>(), "", "utf-8", false, 0);
            }

            return failed is null ? AgentCallResult.From(early!) : throw ToolFailure.From(failed);
        }

        var (answer, problem) = await proxy.CallAsync(call, user, http.HttpContext, cancellationToken);
        if (problem is not null)
        {
            throw ToolFailure.From(problem);
        }

        return AgentCallResult.From(answer!);
    }

    [McpServerTool(Name = "list_requests", Title = "List stored requests", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "Lists the requests Berth stored for agents with persistence on, newest first (at most 100): their state (accepted, " +
        "dispatched, retrying, completed, dead-lettered), attempts, status and last error, as 'berth requests ls' does.")]
    public async Task<RequestList> ListRequestsAsync(
        ClaimsPrincipal user,
        [Description("Only requests to this agent.")] string? agent = null,
        [Description("Only requests in this state: accepted, dispatched, retrying, completed or dead-lettered.")] string? state = null,
        CancellationToken cancellationToken = default)
    {
        await journal.FlushAsync(cancellationToken);
        var list = ToolFailure.Unwrap(await requests.ListAsync(agent, state, null, null, null, user.FindFirstValue(BerthClaims.Agent), cancellationToken));
        return new RequestList(list);
    }

    [McpServerTool(Name = "requeue_request", Title = "Requeue a stored request", ReadOnly = false, Idempotent = false, Destructive = true, OpenWorld = true, UseStructuredContent = true)]
    [Description(
        "Queues a completed or dead-lettered request again: it is delivered to its agent once more, attempts starting over, as " +
        "'berth requests replay ID' does. Needs the operator role.")]
    [ToolPolicy(BerthPolicies.Operator)]
    public async Task<RequestView> RequeueRequestAsync([Description("The request's id (from list_requests).")] string id, CancellationToken cancellationToken)
    {
        await journal.FlushAsync(cancellationToken);
        return ToolFailure.Unwrap(await requests.RequeueAsync(id, cancellationToken));
    }

    // A body with no Content-Type is sent as JSON when it is JSON, else as UTF-8 text, so an agent's framework can read it.
    private static Dictionary<string, string>? WithContentType(Dictionary<string, string>? headers, string? body)
    {
        if (string.IsNullOrEmpty(body) || headers?.Keys.Any(k => k.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) == true)
        {
            return headers;
        }

        var withType = new Dictionary<string, string>(headers ?? [], StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = IsJson(body) ? "application/json" : "text/plain; charset=utf-8",
        };
        return withType;
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}

/// <summary>The answer of <c>call_agent</c>.</summary>
/// <param name="Status">The agent's HTTP status, or 202 when the request was stored for later delivery.</param>
/// <param name="Headers">The response headers (<c>Berth-Request-Id</c> names a stored request).</param>
/// <param name="Body">The body: text when it is UTF-8, else base64.</param>
/// <param name="BodyEncoding"><c>utf-8</c> or <c>base64</c>.</param>
/// <param name="Truncated">True when the body was longer than 1 MiB and only its start is here.</param>
/// <param name="Length">The body's full length in bytes.</param>
internal sealed record AgentCallResult(int Status, IReadOnlyDictionary<string, string> Headers, string Body, string BodyEncoding, bool Truncated, long Length)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static AgentCallResult From(AgentAnswer answer)
    {
        // A cut may split a character: the whole characters before it are still text.
        var text = Text(answer.Body, answer.Body.Length) ?? (answer.Truncated ? Text(answer.Body, CompleteUtf8Length(answer.Body)) : null);
        return text is null
            ? new AgentCallResult(answer.Status, answer.Headers, Convert.ToBase64String(answer.Body), "base64", answer.Truncated, answer.Length)
            : new AgentCallResult(answer.Status, answer.Headers, text, "utf-8", answer.Truncated, answer.Length);
    }

    private static string? Text(byte[] bytes, int length)
    {
        try
        {
            return StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    // The length without a multi-byte sequence left incomplete at the end.
    private static int CompleteUtf8Length(byte[] bytes)
    {
        var end = bytes.Length;
        while (end > 0 && bytes.Length - end < 3 && (bytes[end - 1] & 0xC0) == 0x80)
        {
            end--;
        }

        return end > 0 && bytes[end - 1] >= 0xC0 ? end - 1 : bytes.Length;
    }
}

/// <summary>The answer of <c>list_requests</c>.</summary>
internal sealed record RequestList(IReadOnlyList<RequestView> Requests);
