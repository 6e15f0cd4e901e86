using System.Net.Sockets;
using Berth.Core.Specs;
using Berth.Server.Reconciliation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Berth.Server.Proxy;

/// <summary>
/// Forwards one request to an agent instance through YARP's <see cref="IHttpForwarder"/> and the shared
/// <see cref="AgentConnections"/>: bodies stream both ways unbuffered (server-sent events and chunked answers reach the
/// client as the agent writes them), trailers pass, WebSocket upgrades become a two-way stream, and an h2c agent is spoken
/// to in HTTP/2. The header rules are <see cref="AgentTransformer"/>'s; YARP's failures become Berth's problem answers.
/// </summary>
internal sealed partial class AgentForwarder(IHttpForwarder forwarder, AgentConnections connections, ILogger<AgentForwarder> logger)
{
    // No idle limit, as before YARP: an agent may think for minutes before its first byte (an LLM call), and a WebSocket or an
    // event stream may stay quiet for as long. Connecting is bounded by the connection pool's ConnectTimeout.
    private static readonly ForwarderRequestConfig Http1 = Config(AgentProtocol.Http);
    private static readonly ForwarderRequestConfig Http2 = Config(AgentProtocol.Http2);

    /// <summary>
    /// Forwards to <paramref name="endpoint"/>. When an instance refuses the connection (it died since the last probe), nothing
    /// was sent yet, so the next healthy instance is tried instead.
    /// </summary>
    public async Task<IResult> ForwardAsync(HttpContext context, AgentRoute route, Uri endpoint, string pathAndQuery)
    {
        var agentName = route.AgentName;
        var config = route.Protocol == AgentProtocol.Http2 ? Http2 : Http1;
        var attemptsLeft = route.Healthy.Count;
        while (true)
        {
            ForwarderError error;
            using (route.Enter(endpoint))
            {
                error = await forwarder.SendAsync(
                    context, endpoint.GetLeftPart(UriPartial.Authority), connections.Invoker, config, new AgentTransformer(agentName, pathAndQuery));
            }

            if (error == ForwarderError.None || context.Response.HasStarted)
            {
                return Results.Empty;
            }

            var exception = context.GetForwarderErrorFeature()?.Exception;
            if (error == ForwarderError.Request && IsRefused(exception) && --attemptsLeft > 0 && route.Next(except: endpoint) is { } next)
            {
                LogFailingOver(agentName, endpoint, next);
                context.Response.Clear();
                context.Features.Set<IForwarderErrorFeature>(null);
                endpoint = next;
                continue;
            }

            return Failed(context, agentName, endpoint, error, exception);
        }
    }

    private Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Failed(HttpContext context, string agentName, Uri endpoint, ForwarderError error, Exception? exception)
    {
        context.Response.Clear();
        if (FindBadRequest(exception) is { } bad)
        {
            // Reading the client's body failed (too large, cut short): the client's error, answered by the body limit (413 naming
            // the limit) or by Kestrel (400), never a 502.
            throw bad;
        }

        switch (error)
        {
            case ForwarderError.RequestTimedOut:
                return Problems.Problems.Problem(StatusCodes.Status504GatewayTimeout, "Agent timed out", Problems.Problems.GatewayTimeoutType,
                    $"Agent '{agentName}' did not answer in time.");
            case ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient:
                // The client went away or broke off its body: nobody to answer, and nothing the agent did wrong.
                return Problems.Problems.BadRequest("The request was cancelled, or its body ended before it was complete.");
            default:
                var reason = Reason(exception);
                LogForwardFailed(agentName, endpoint, error, reason);
                return Problems.Problems.Problem(StatusCodes.Status502BadGateway, "Agent did not answer", Problems.Problems.BadGatewayType,
                    $"Agent '{agentName}' could not be reached ({reason}). It may have just stopped; retry, or check 'berth logs {agentName}'.");
        }
    }

    private static ForwarderRequestConfig Config(AgentProtocol protocol)
    {
        var (version, policy) = AgentConnections.VersionOf(protocol);
        return new ForwarderRequestConfig { Version = version, VersionPolicy = policy, ActivityTimeout = Timeout.InfiniteTimeSpan };
    }

    private static bool IsRefused(Exception? exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };

    private static string Reason(Exception? exception) => exception switch
    {
        HttpRequestException { InnerException: SocketException socket } => socket.SocketErrorCode.ToString(),
        HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http => http.HttpRequestError.ToString(),
        null => "no answer",
        _ => exception.Message,
    };

    private static BadHttpRequestException? FindBadRequest(Exception? exception)
    {
        switch (exception)
        {
            case null:
                return null;
            case BadHttpRequestException bad:
                return bad;
            case AggregateException aggregate:
                return aggregate.InnerExceptions.Select(FindBadRequest).FirstOrDefault(b => b is not null);
            default:
                return FindBadRequest(exception.InnerException);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentName} refused the connection at {Endpoint}; trying {Next}")]
    private partial void LogFailingOver(string agentName, Uri endpoint, Uri next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding to agent {AgentName} at {Endpoint} failed ({Error}): {Reason}")]
    private partial void LogForwardFailed(string agentName, Uri endpoint, ForwarderError error, string reason);
}
