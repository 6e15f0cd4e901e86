using System.Net.Sockets;
using Berth.Server.Reconciliation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Proxy;

/// <summary>
/// Forwards one request to an agent instance and streams the answer back: method, headers (less
/// hop-by-hop ones), body in both directions without buffering, so server-sent events and chunked
/// responses reach the client as the agent writes them.
/// </summary>
internal sealed partial class AgentForwarder(ILogger<AgentForwarder> logger) : IDisposable
{
    private const int BufferSize = 16 * 1024;

    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ActivityHeadersPropagator = null,
    });

    /// <summary>
    /// Forwards to the route's next healthy endpoint. When an instance refuses the connection (it died
    /// since the last probe), nothing was sent yet, so the next healthy instance is tried instead.
    /// </summary>
    public async Task<IResult> ForwardAsync(HttpContext context, AgentRoute route, Uri endpoint, PathString path)
    {
        var aborted = context.RequestAborted;
        var agentName = route.AgentName;
        var attemptsLeft = route.Healthy.Count;
        HttpResponseMessage response;
        while (true)
        {
            using var request = CreateRequest(context, endpoint, path, agentName);
            try
            {
                response = await _invoker.SendAsync(request, aborted);
                break;
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError && --attemptsLeft > 0 &&
                                                  route.Next() is { } next && next != endpoint)
            {
                LogFailingOver(agentName, endpoint, next);
                endpoint = next;
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
        }

        using (response)
        {
            await CopyResponseAsync(context, response, aborted);
        }

        return Results.Empty;
    }

    private static HttpRequestMessage CreateRequest(HttpContext context, Uri endpoint, PathString path, string agentName)
    {
        var incoming = context.Request;
        var target = new UriBuilder(endpoint) { Path = path.ToUriComponent(), Query = incoming.QueryString.ToUriComponent() }.Uri;
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method), target) { Version = System.Net.HttpVersion.Version11 };
        if (HasBody(incoming))
        {
            request.Content = new StreamContent(incoming.Body, BufferSize);
        }

        var namedByConnection = HopByHopHeaders.NamedBy(incoming.Headers.Connection);
        foreach (var (name, values) in incoming.Headers)
        {
            // Authorization carries the caller's Berth token, which is for Berth alone: an agent never sees it.
            if (HopByHopHeaders.IsHopByHop(name, namedByConnection) || name.Equals(HeaderNames.Host, StringComparison.OrdinalIgnoreCase) ||
                name.Equals(HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        request.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", incoming.Scheme);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", incoming.Host.Value);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", $"/agents/{agentName}");
        return request;
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 ||
        (request.ContentLength is null && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);

    private static async Task CopyResponseAsync(HttpContext context, HttpResponseMessage response, CancellationToken aborted)
    {
        var outgoing = context.Response;
        outgoing.StatusCode = (int)response.StatusCode;
        var namedByConnection = HopByHopHeaders.NamedBy(response.Headers.TryGetValues(HeaderNames.Connection, out var c) ? c : []);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHopHeaders.IsHopByHop(name, namedByConnection))
            {
                outgoing.Headers[name] = values.ToArray();
            }
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await using var body = await response.Content.ReadAsStreamAsync(aborted);
        var buffer = new byte[BufferSize];
        int read;
        while ((read = await body.ReadAsync(buffer, aborted)) > 0)
        {
            await outgoing.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
            await outgoing.Body.FlushAsync(aborted);
        }
    }

    public void Dispose() => _invoker.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentName} refused the connection at {Endpoint}; trying {Next}")]
    private partial void LogFailingOver(string agentName, Uri endpoint, Uri next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding to agent {AgentName} at {Endpoint} failed: {Reason}")]
    private partial void LogForwardFailed(string agentName, Uri endpoint, string reason);
}
