using Berth.Core.Specs;
using Berth.Server.Proxy;
using Berth.Server.Reconciliation;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Capabilities;

/// <summary>
/// <c>/capabilities/{capability}/{**path}</c>: a plain forward (never stored or replayed, unlike a durable agent call) to an
/// agent that declares the capability, chosen by <see cref="CapabilityRouter"/>. The body is read first (at most
/// <see cref="MaxBodyBytes"/>), so it can be sent again to the next provider; failing over happens only before the answer
/// starts: once a provider's answer is chosen, its status, headers and body stream to the caller as they arrive. The header
/// rules are the proxy's (<see cref="ForwardingHeaders"/>); the answer says who served in <c>Berth-Provider</c>.
/// </summary>
internal sealed class CapabilityForwarder(CapabilityRouter router, AgentConnections connections)
{
    /// <summary>The largest body a capability call may carry: 4 MiB (it is held to be resent on failover).</summary>
    public const int MaxBodyBytes = 4 << 20;

    /// <summary>The answer header naming the provider that served (<c>agent:NAME</c>).</summary>
    public const string ProviderHeader = "Berth-Provider";

    public async Task<IResult> ForwardAsync(string capability, HttpContext context)
    {
        if (!CapabilityRules.IsName(capability))
        {
            return Problems.Problems.CapabilityNotFound(capability);
        }

        if (ProxyTarget.AgentRelative(context) is not { } target)
        {
            return Problems.Problems.BadRequest(
                $"The path names capability '{capability}' but holds a '.' or '..' segment (perhaps percent-encoded), which could lead elsewhere. Send the path with dot segments resolved.");
        }

        if (StreamRequests.IsStream(context))
        {
            return Problems.Problems.BadRequest(
                $"A WebSocket or gRPC stream cannot be routed by capability (it cannot fail over); call the agent by name through /agents/NAME/. 'berth capabilities describe {capability}' lists them.");
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return TooLarge(context);
        }

        var body = await Limits.BoundedBody.ReadAsync(context.Request, MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            return TooLarge(context);
        }

        RoutedResponse routed;
        try
        {
            routed = await router.SendAsync(
                capability, (route, endpoint, ct) => connections.SendAsync(Request(context, capability, route, endpoint, target, body), ct), null, context.RequestAborted);
        }
        catch (CapabilityNotFoundException ex)
        {
            return Problems.Problems.Problem(StatusCodes.Status404NotFound, "Capability not found", Problems.Problems.NotFoundType, ex.Message);
        }
        catch (CapabilityUnavailableException ex)
        {
            var problem = Problems.Problems.Problem(StatusCodes.Status503ServiceUnavailable, "No provider available", Problems.Problems.UnavailableType, ex.Message);
            return new RetryAfterResult(problem, TimeSpan.FromSeconds(1));
        }

        using (routed)
        {
            await CopyAsync(routed, context);
        }

        return Results.Empty;
    }

    private static async Task CopyAsync(RoutedResponse routed, HttpContext context)
    {
        var answer = routed.Response;
        var response = context.Response;
        response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in ForwardingHeaders.FromAgent(answer))
        {
            response.Headers[name] = values.ToArray();
        }

        if (answer.Headers.TransferEncodingChunked == true)
        {
            response.ContentLength = null;
        }

        response.Headers[ProviderHeader] = routed.Provider;
        try
        {
            await using var stream = await answer.Content.ReadAsStreamAsync(context.RequestAborted);
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                // Flushed as it comes, so an event stream reaches the caller unbuffered.
                await response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller left: nobody to answer.
        }
    }

    private static HttpRequestMessage Request(HttpContext context, string capability, AgentRoute route, Uri endpoint, string target, byte[] body)
    {
        var request = AgentConnections.CreateRequest(context.Request.Method, endpoint, target, route.Protocol);
        if (body.Length > 0 || context.Request.ContentLength is not null || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new ByteArrayContent(body);
        }

        foreach (var (name, values) in ForwardingHeaders.FromClient(context))
        {
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        foreach (var (name, value) in ForwardingHeaders.Added(context, route.AgentName))
        {
            request.Headers.TryAddWithoutValidation(name, name == "X-Forwarded-Prefix" ? $"/capabilities/{capability}" : value);
        }

        return request;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge(HttpContext context) =>
        Problems.Problems.PayloadTooLarge(
            context, MaxBodyBytes, "a call by capability carries (it is held to be resent to another provider)",
            "Send large bodies to a named agent through /agents/NAME/, which streams them.");
}
