using System.Net.Sockets;
using Berth.Core.Specs;

namespace Berth.Server.Reconciliation;

/// <summary>Probes with HTTP GET on <see cref="HealthSpec.Path"/> (2xx/3xx is healthy), or a TCP connect when no path is set.</summary>
internal sealed class NetworkHealthProbe(IHttpClientFactory httpClients) : IHealthProbe
{
    public const string HttpClientName = "berth-health";

    public async Task<ProbeResult> ProbeAsync(Uri endpoint, HealthSpec health, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(health.Timeout);
        try
        {
            return health.Path is null
                ? await ConnectAsync(endpoint, timeout.Token)
                : await GetAsync(new Uri(endpoint, health.Path), timeout.Token);
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

    private static async Task<ProbeResult> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
        return ProbeResult.Pass($"tcp {endpoint.Port} open");
    }

    private async Task<ProbeResult> GetAsync(Uri target, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        using var response = await client.GetAsync(target, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;
        return status is >= 200 and < 400
            ? ProbeResult.Pass($"GET {target.AbsolutePath} {status}")
            : ProbeResult.Fail($"GET {target.AbsolutePath} answered {status}");
    }
}
