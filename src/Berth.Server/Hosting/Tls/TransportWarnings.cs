using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Hosting.Tls;

/// <summary>Logs, once at start, that the server is reachable from other machines without TLS.</summary>
internal sealed partial class TransportWarnings(TransportSecurity transport, ILogger<TransportWarnings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (transport.ExposedUrls.Count > 0)
        {
            LogExposedWithoutTls(logger, string.Join(", ", transport.ExposedUrls));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message =
        "Berth listens on {Urls} without TLS, reachable from other machines: API tokens and secrets would cross the network in clear text. " +
        "Configure TLS with --tls-cert FILE (and --tls-key FILE for a separate PEM key; or BERTH_TLS_CERT, BERTH_TLS_KEY) and https:// URLs, or bind 127.0.0.1.")]
    private static partial void LogExposedWithoutTls(ILogger logger, string urls);
}
