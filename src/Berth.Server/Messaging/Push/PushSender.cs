using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Client;
using Berth.Core.Messaging;
using Berth.Server.Proxy;
using Berth.Server.Reconciliation;

namespace Berth.Server.Messaging.Push;

/// <summary>
/// Posts one delivery to a push subscription's agent, on the route the proxy would take (a healthy instance of the agent, its
/// protocol), but not through the request journal: the subscription already holds the message durably, and its own backoff,
/// <c>maxDeliveries</c> and dead letters decide what happens to a failure. The body is the <see cref="ReceivedMessage"/> as JSON.
/// </summary>
internal sealed class PushSender(InstanceDirectory directory, AgentConnections connections)
{
    /// <summary>Null when the agent answered 2xx; otherwise why the delivery failed (kept as the message's last error).</summary>
    public async Task<string?> SendAsync(PushDeliverySpec push, ReceivedMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var route = directory.Find(push.Agent);
        if (route?.Next() is not { } endpoint)
        {
            return $"agent '{push.Agent}' has no healthy instance";
        }

        using var inFlight = route.Enter(endpoint);
        using var request = AgentConnections.CreateRequest("POST", endpoint, push.Path, route.Protocol);
        // Sent with a Content-Length (not chunked): a small agent (a CGI script, say) may read only what the length announces.
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(message, BerthClientJson.TypeInfo<ReceivedMessage>()));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Berth-Message-Id", message.Id);
        request.Headers.TryAddWithoutValidation("Berth-Subscription", message.Subscription);
        request.Headers.TryAddWithoutValidation("Berth-Delivery", message.Delivery.ToString(CultureInfo.InvariantCulture));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await connections.SendAsync(request, deadline.Token);
            return response.IsSuccessStatusCode ? null : $"agent '{push.Agent}' answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"agent '{push.Agent}' did not answer within {Core.Specs.Duration.Format(timeout)}";
        }
        catch (HttpRequestException ex)
        {
            return $"agent '{push.Agent}' could not be reached at {endpoint.Authority}: {ex.Message}";
        }
    }
}
