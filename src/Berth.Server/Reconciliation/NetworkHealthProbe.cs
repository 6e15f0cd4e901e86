using System.Net.Sockets;
using Berth.Core.Specs;

namespace Berth.Server.Reconciliation;

/// <summary>
/// Probes with HTTP GET on <see cref="HealthSpec.Path"/> (2xx/3xx is healthy), in HTTP/1.1 or, for an <see cref="AgentProtocol.Http2"/>
/// agent, h2c; or a TCP connect when no path is set.
/// </summary>
internal sealed class NetworkHealthProbe(IHttpClientFactory httpClients) : IHealthProbe
{
    public const string HttpClientName = "berth-health";

    public async Task<ProbeResult> ProbeAsync(Uri endpoint, HealthSpec health, AgentProtocol protocol, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(health.Timeout);
        try
        {
            return health.Path is null
                ? await ConnectAsync(endpoint, timeout.Token)
                : ProbeUri(endpoint, health.Path) is { } target
                    ? await GetAsync(target, protocol, timeout.Token)
                    : ProbeResult.Fail($"health path '{health.Path}' is not a path on the instance; expected one like /health");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail($"no answer within {Duration.Format(health.Timeout)}");
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException)
        {
            return ProbeResult.Fail(ex.InnerException?.Message ?? ex.Message);
        }
    }

    /// <summary>
    /// The instance's own scheme, host and port followed by the path, or null when the result would name anything else.
    /// <c>new Uri(endpoint, "//host/x")</c> would take the host from the path, so a spec stored before paths were checked
    /// could make the server probe any address; the authority never comes from the path.
    /// </summary>
    internal static Uri? ProbeUri(Uri endpoint, string path)
    {
        var authority = endpoint.GetLeftPart(UriPartial.Authority);
        var rooted = path.StartsWith('/') ? path : "/" + path;
        return Uri.TryCreate(authority + rooted, UriKind.Absolute, out var target)
            && target.GetLeftPart(UriPartial.Authority) == authority
            && target.UserInfo.Length == 0
                ? target
                : null;
    }

    private static async Task<ProbeResult> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
        return ProbeResult.Pass($"tcp {endpoint.Port} open");
    }

    private async Task<ProbeResult> GetAsync(Uri target, AgentProtocol protocol, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        if (protocol == AgentProtocol.Http2)
        {
            // h2c by prior knowledge: a plain-text HTTP/2 server (a gRPC agent) does not answer HTTP/1.1.
            request.Version = System.Net.HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;
        return status is >= 200 and < 400
            ? ProbeResult.Pass($"GET {target.AbsolutePath} {status}", status)
            : ProbeResult.Fail($"GET {target.AbsolutePath} answered {status}", status);
    }
}
