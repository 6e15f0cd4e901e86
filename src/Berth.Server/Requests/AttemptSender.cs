using Berth.Core.Requests;
using Berth.Core.Specs;

using Berth.Server.Proxy;

namespace Berth.Server.Requests;

/// <summary>
/// Sends one attempt of a stored request to an instance and classifies what went wrong, if anything. A stored request is sent
/// later, with no live client connection to forward from, so it does not go through YARP's forwarder; it goes through the same
/// connection pool (<see cref="AgentConnections"/>) with the headers the same rules kept when it was accepted
/// (<see cref="IncomingRequest"/>), in the agent's protocol.
/// </summary>
internal sealed class AttemptSender(AgentConnections connections)
{
    /// <summary>Response header naming the stored request, on every answer of the durable proxy and on the request sent to the agent.</summary>
    public const string RequestIdHeader = "Berth-Request-Id";

    /// <summary>
    /// Sends <paramref name="request"/> and returns once response headers arrive (the body is left to read), or a failure:
    /// refused connections are <see cref="DeliveryFailure.NotSent"/>, 502/503/504 <see cref="DeliveryFailure.Unavailable"/>,
    /// no headers within <paramref name="timeout"/> <see cref="DeliveryFailure.Timeout"/>, anything else that broke the
    /// connection <see cref="DeliveryFailure.ConnectionLost"/>.
    /// </summary>
    public async Task<AttemptOutcome> SendAsync(
        ProxiedRequest request, Uri endpoint, AgentProtocol protocol, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(request, endpoint, protocol);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var response = await connections.SendAsync(message, deadline.Token);
            if ((int)response.StatusCode is 502 or 503 or 504)
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                return AttemptOutcome.Failed(DeliveryFailure.Unavailable, $"the agent answered {status}");
            }

            return AttemptOutcome.Answered(response);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return AttemptOutcome.Failed(DeliveryFailure.NotSent, $"could not connect to {endpoint.Authority}: {ex.InnerException?.Message ?? ex.Message}");
        }
        catch (HttpRequestException ex)
        {
            return AttemptOutcome.Failed(DeliveryFailure.ConnectionLost, $"the connection to {endpoint.Authority} broke: {ex.InnerException?.Message ?? ex.Message}");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return AttemptOutcome.Failed(DeliveryFailure.Timeout, $"no response within {Core.Specs.Duration.Format(timeout)}");
        }
    }

    private static HttpRequestMessage CreateMessage(ProxiedRequest request, Uri endpoint, AgentProtocol protocol)
    {
        var stored = request.Message ?? throw new InvalidOperationException($"request {request.Id} was loaded without its message");
        var message = AgentConnections.CreateRequest(request.Method, endpoint, request.Target, protocol);
        if (stored.Body.Length > 0)
        {
            message.Content = new ByteArrayContent(stored.Body);
        }

        foreach (var (name, value) in stored.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        message.Headers.TryAddWithoutValidation(RequestIdHeader, request.Id);
        return message;
    }
}
