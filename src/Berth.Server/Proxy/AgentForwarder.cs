using System.Buffers;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Berth.Server.Reconciliation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Proxy;

/// <summary>
/// Forwards one request to an agent instance and streams the answer back: method, headers (less
/// hop-by-hop ones), body in both directions without buffering, so server-sent events and chunked
/// responses reach the client as the agent writes them.
/// </summary>
internal sealed partial class AgentForwarder(AgentConnections connections, ILogger<AgentForwarder> logger)
{
    private const int BufferSize = 16 * 1024;

    /// <summary>
    /// Forwards to the route's next healthy endpoint. When an instance refuses the connection (it died
    /// since the last probe), nothing was sent yet, so the next healthy instance is tried instead.
    /// </summary>
    public async Task<IResult> ForwardAsync(HttpContext context, AgentRoute route, Uri endpoint, string pathAndQuery)
    {
        var aborted = context.RequestAborted;
        var agentName = route.AgentName;
        var attemptsLeft = route.Healthy.Count;
        while (true)
        {
            using var request = CreateRequest(context, endpoint, pathAndQuery, agentName);
            using var inFlight = route.Enter(endpoint);
            HttpResponseMessage response;
            try
            {
                response = await connections.SendAsync(request, aborted);
            }
            catch (HttpRequestException ex) when (FindBadRequest(ex) is { } bad)
            {
                // Reading the client's body failed (too large, cut short): that is the client's error, not the agent's.
                ExceptionDispatchInfo.Throw(bad);
                throw;
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError && --attemptsLeft > 0 &&
                                                  route.Next(except: endpoint) is { } next)
            {
                LogFailingOver(agentName, endpoint, next);
                endpoint = next;
                continue;
            }
            catch (HttpRequestException ex) when (!aborted.IsCancellationRequested)
            {
                LogForwardFailed(agentName, endpoint, ex.Message);
                var reason = ex.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : ex.Message;
                return Problems.Problems.Problem(StatusCodes.Status502BadGateway, "Agent did not answer", Problems.Problems.BadGatewayType,
                    $"Agent '{agentName}' could not be reached ({reason}). It may have just stopped; retry, or check 'berth logs {agentName}'.");
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
            {
                return Problems.Problems.Problem(StatusCodes.Status504GatewayTimeout, "Agent timed out", Problems.Problems.GatewayTimeoutType,
                    $"Agent '{agentName}' did not answer in time.");
            }

            using (response)
            {
                await CopyResponseAsync(context, response, aborted);
            }

            return Results.Empty;
        }
    }

    private static HttpRequestMessage CreateRequest(HttpContext context, Uri endpoint, string pathAndQuery, string agentName)
    {
        var incoming = context.Request;
        var request = AgentConnections.CreateRequest(incoming.Method, endpoint, pathAndQuery);
        if (HasBody(incoming))
        {
            // The body is framed by this proxy, never by the client's headers: Kestrel has already de-chunked it, and a
            // Content-Length sent beside Transfer-Encoding must not reach the agent, where it would split the body into two requests.
            request.Content = new StreamContent(incoming.Body, BufferSize);
            request.Content.Headers.ContentLength = incoming.Headers.TransferEncoding.Count > 0 ? null : incoming.ContentLength;
        }

        foreach (var (name, values) in ForwardingHeaders.FromClient(context))
        {
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        foreach (var (name, value) in ForwardingHeaders.Added(context, agentName))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static BadHttpRequestException? FindBadRequest(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is BadHttpRequestException bad)
            {
                return bad;
            }
        }

        return null;
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 ||
        (request.ContentLength is null && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);

    private static async Task CopyResponseAsync(HttpContext context, HttpResponseMessage response, CancellationToken aborted)
    {
        var outgoing = context.Response;
        outgoing.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in ForwardingHeaders.FromAgent(response))
        {
            outgoing.Headers[name] = values.ToArray();
        }

        // A body of unknown length may be a stream of events: each piece goes out as it arrives. A known length is written
        // through and sent when the response ends.
        var streaming = response.Content.Headers.ContentLength is null;
        if (streaming)
        {
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        }

        await using var body = await response.Content.ReadAsStreamAsync(aborted);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, aborted)) > 0)
            {
                await outgoing.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
                if (streaming)
                {
                    await outgoing.Body.FlushAsync(aborted);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentName} refused the connection at {Endpoint}; trying {Next}")]
    private partial void LogFailingOver(string agentName, Uri endpoint, Uri next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding to agent {AgentName} at {Endpoint} failed: {Reason}")]
    private partial void LogForwardFailed(string agentName, Uri endpoint, string reason);
}
