using Berth.Server.A2a;
using System.Net;
using System.Security.Claims;
using Berth.Core.Storage;
using Berth.Server.Reconciliation;
using Berth.Server.Requests;
using Berth.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Proxy;

/// <summary>
/// Runs the proxy's own handler (<see cref="AgentProxy.ForwardAsync"/>) for a caller that is not an HTTP client of it (the
/// MCP <c>call_agent</c> tool), so the same rules hold: the <see cref="BerthPolicies.AgentProxy"/> policy decides with the
/// caller's principal, persistence stores the request with the caller as its sender, <c>Idempotency-Key</c> and
/// <c>Berth-Wait</c> apply, and the agent gets the proxy's headers (never a Berth token: the call carries none). The request
/// is an <see cref="HttpContext"/> built here; the response is captured up to <see cref="MaxResponseBytes"/>. A body longer
/// than that (a stream without end, say) is cut: the caller gets its start, and the call is cancelled, as when a client
/// leaves (a durable request is still delivered and stored in full).
/// </summary>
internal sealed class InProcessProxy(IServiceScopeFactory scopes, IAuthorizationService authorization)
{
    /// <summary>The most of a response body an in-process call returns: 1 MiB.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    /// <summary>The agent's answer (or a 202 for a queued durable request), or the problem Berth itself raised (refused, not found, unavailable, dead-lettered).</summary>
    /// <param name="call">The checked call.</param>
    /// <param name="user">The caller, as authenticated by Berth.</param>
    /// <param name="from">The caller's own request, for the host and address the agent is told of; null when there is none.</param>
    /// <param name="cancellationToken">Cancels waiting; a durable request already stored is delivered anyway.</param>
    /// <param name="stored">Told the stored request's id once a durable call has one; null when nobody asks.</param>
    public async Task<(AgentAnswer? Answer, ProblemHttpResult? Problem)> CallAsync(
        AgentCall call, ClaimsPrincipal user, HttpContext? from, CancellationToken cancellationToken, StoredRequestSignal? stored = null)
    {
        var scope = scopes.CreateAsyncScope();
        var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var response = new CapturedResponse(MaxResponseBytes);
        var context = Build(call, user, from, response, scope.ServiceProvider, abort.Token);
        if (stored is not null)
        {
            context.Features.Set(stored);
        }

        var run = Task.CompletedTask;
        try
        {
            if (!(await authorization.AuthorizeAsync(user, context, BerthPolicies.AgentProxy)).Succeeded)
            {
                return (null, Refused(user, call.Name));
            }

            var handled = RunAsync(context, call.Name, scope.ServiceProvider);
            run = handled;
            await Task.WhenAny(handled, response.Full).WaitAsync(cancellationToken);
            if (!handled.IsCompleted)
            {
                // Cut: the start is answered now; the plain proxy stops reading the agent, the durable one stores the rest.
                await abort.CancelAsync();
                return (Answer(response), null);
            }

            return await handled is { } problem ? (null, problem) : (Answer(response), null);
        }
        finally
        {
            // The handler may outlive the call (a durable delivery runs to its end): its scope goes when it does.
            _ = run.ContinueWith(
                async t =>
                {
                    _ = t.Exception;
                    abort.Dispose();
                    await scope.DisposeAsync();
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        }
    }

    // Berth's own problems are returned, not written: the caller reports them as errors; anything else is the agent's answer.
    private static async Task<ProblemHttpResult?> RunAsync(HttpContext context, string name, IServiceProvider services)
    {
        IResult result;
        try
        {
            result = await AgentProxy.ForwardAsync(
                name, context, services.GetRequiredService<InstanceDirectory>(), services.GetRequiredService<IAgentStore>(),
                services.GetRequiredService<AgentForwarder>(), services.GetRequiredService<DurableProxy>(),
                services.GetRequiredService<AgentCardProxy>(), services.GetRequiredService<ProxyTraffic>());
        }
        catch (BadHttpRequestException ex)
        {
            return Problems.Problems.Problem(ex.StatusCode, "Bad request", Problems.Problems.BadRequestType, ex.Message);
        }

        switch (result)
        {
            case ProblemHttpResult problem:
                return problem;
            case RetryAfterResult { Inner: ProblemHttpResult problem }:
                return problem;
            default:
                await result.ExecuteAsync(context);
                return null;
        }
    }

    private static DefaultHttpContext Build(AgentCall call, ClaimsPrincipal user, HttpContext? from, CapturedResponse response, IServiceProvider services, CancellationToken aborted)
    {
        var queryAt = call.Path.IndexOf('?', StringComparison.Ordinal);
        IHeaderDictionary headers = new HeaderDictionary();
        foreach (var (name, value) in call.Headers)
        {
            headers.Append(name, value);
        }

        headers.Host = from?.Request.Host.Value is { Length: > 0 } host ? host : "localhost";
        if (call.Body.Length > 0)
        {
            headers.ContentLength = call.Body.Length;
        }

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Scheme = from?.Request.Scheme ?? "http",
            Method = call.Method,
            PathBase = "",
            Path = PathString.FromUriComponent($"/agents/{call.Name}{(queryAt < 0 ? call.Path : call.Path[..queryAt])}"),
            QueryString = queryAt < 0 ? "" : call.Path[queryAt..],
            RawTarget = $"/agents/{call.Name}{call.Path}",
            Headers = headers,
            Body = new MemoryStream(call.Body, writable: false),
        });
        features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(call.Body.Length > 0));
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = aborted });
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = $"in-process-{Guid.NewGuid():N}",
            RemoteIpAddress = from?.Connection.RemoteIpAddress ?? IPAddress.Loopback,
            LocalIpAddress = from?.Connection.LocalIpAddress ?? IPAddress.Loopback,
        });
        var context = new DefaultHttpContext(features) { User = user, RequestServices = services };
        context.Request.RouteValues["name"] = call.Name;
        return context;
    }

    private static AgentAnswer Answer(CapturedResponse response) => new(
        response.StatusCode,
        response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        response.Kept(),
        response.Length);

    private static ProblemHttpResult Refused(ClaimsPrincipal user, string agent) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden",
            detail: $"{user.Identity?.Name ?? "This token"} may not call agent '{agent}': calling agents needs the operator role, or an agent token whose spec names '{agent}' in access.agents.");

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => canHaveBody;
    }
}
