using Berth.Core.Requests;

namespace Berth.Server.Requests;

/// <summary>Sends one attempt of a stored request to an instance and classifies what went wrong, if anything.</summary>
internal sealed class AttemptSender : IDisposable
{
    /// <summary>Response header naming the stored request, on every answer of the durable proxy and on the request sent to the agent.</summary>
    public const string RequestIdHeader = "Berth-Request-Id";

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
    /// Sends <paramref name="request"/> and returns once response headers arrive (the body is left to read), or a failure:
    /// refused connections are <see cref="DeliveryFailure.NotSent"/>, 502/503/504 <see cref="DeliveryFailure.Unavailable"/>,
    /// no headers within <paramref name="timeout"/> <see cref="DeliveryFailure.Timeout"/>, anything else that broke the
    /// connection <see cref="DeliveryFailure.ConnectionLost"/>.
    /// </summary>
    public async Task<AttemptOutcome> SendAsync(ProxiedRequest request, Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(request, endpoint);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var response = await _invoker.SendAsync(message, deadline.Token);
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

    public void Dispose() => _invoker.Dispose();

    private static HttpRequestMessage CreateMessage(ProxiedRequest request, Uri endpoint)
    {
        // The target was escaped when accepted; canonicalising it again would decode %2E into a dot segment.
        var uri = new Uri(endpoint.GetLeftPart(UriPartial.Authority) + request.Target, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var stored = request.Message ?? throw new InvalidOperationException($"request {request.Id} was loaded without its message");
        var message = new HttpRequestMessage(new HttpMethod(request.Method), uri) { Version = System.Net.HttpVersion.Version11 };
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
