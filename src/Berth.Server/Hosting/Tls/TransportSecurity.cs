using System.Net;
using Berth.Server.Hosting.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Hosting.Tls;

/// <summary>
/// Decides how the server listens: the URLs from <c>--urls</c>, HTTPS with the configured certificate,
/// and a warning when the server is reachable from other machines without TLS.
/// </summary>
internal sealed class TransportSecurity : IDisposable
{
    /// <summary>The address the server listens on when a certificate is configured and <c>--urls</c> is not.</summary>
    public const string DefaultHttpsUrl = "https://127.0.0.1:2378";

    private const string TlsSection = BerthOptions.Section + ":Tls";

    private TransportSecurity(IReadOnlyList<string> urls, ServerCertificate? certificate, IReadOnlyList<string> exposedUrls)
    {
        Urls = urls;
        Certificate = certificate;
        ExposedUrls = exposedUrls;
        Warnings = exposedUrls.Count == 0 ? [] : [DescribeExposure(exposedUrls)];
    }

    /// <summary>The URLs the server binds.</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>The server certificate; null when the server speaks plain HTTP.</summary>
    public ServerCertificate? Certificate { get; }

    /// <summary>Plain-HTTP URLs reachable from other machines.</summary>
    public IReadOnlyList<string> ExposedUrls { get; }

    /// <summary>Sentences for the operator about how the server is exposed; empty when all is well.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Reads <c>urls</c> and <c>Berth:Tls</c> from the builder's configuration, checks they fit together,
    /// loads the certificate and sets Kestrel up. Throws <see cref="BerthServerStartException"/> naming the setting to fix.
    /// </summary>
    public static TransportSecurity Configure(WebApplicationBuilder builder)
    {
        // Read before the container exists: Kestrel's endpoints and certificate are set up from it.
        var settings = SettingsBinding.Bind(builder.Configuration.GetSection(TlsSection), new BerthOptions.TlsSettings());
        var useTls = !string.IsNullOrWhiteSpace(settings.Certificate);
        if (!useTls && !string.IsNullOrWhiteSpace(settings.Key))
        {
            throw new BerthServerStartException($"{ServerCertificateLoader.KeySetting} is set but {ServerCertificateLoader.CertificateSetting} is not; set the certificate too, or neither");
        }

        var configured = builder.Configuration["urls"];
        var urls = (string.IsNullOrWhiteSpace(configured) ? (useTls ? DefaultHttpsUrl : BerthOptions.DefaultUrl) : configured)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var addresses = urls.Select(Parse).ToList();
        CheckSchemes(addresses, useTls);

        var certificate = useTls ? ServerCertificateLoader.Load(settings, TimeProvider.System) : null;
        var transport = new TransportSecurity(
            urls,
            certificate,
            useTls ? [] : [.. addresses.Where(IsReachableFromOtherMachines).Select(a => a.ToString())]);

        builder.WebHost.UseUrls(urls);
        if (certificate is not null)
        {
            // The slim builder leaves HTTPS out unless asked.
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        // Every endpoint's connection pipeline: TLS first (every URL is https:// when a certificate is set, and Kestrel adds
        // no second TLS layer to an endpoint that has one), then the Connection-header scanner, which must read plain text.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate.Leaf;
                    https.ServerCertificateChain = certificate.Intermediates;
                });
            }

            Proxy.ConnectionHeaderScanner.Add(listen);
        }));

        // Registered through a factory so the container disposes the certificate with the app.
        builder.Services.AddSingleton(_ => transport);
        builder.Services.AddHostedService<TransportWarnings>();
        return transport;
    }

    public void Dispose() => Certificate?.Dispose();

    /// <summary>True unless the address is a loopback IP, <c>localhost</c> or a unix socket.</summary>
    internal static bool IsReachableFromOtherMachines(BindingAddress address)
    {
        if (address.IsUnixPipe || address.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !(IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    internal static string DescribeExposure(IEnumerable<string> urls) =>
        $"Berth listens on {string.Join(", ", urls)} without TLS, reachable from other machines: API tokens and secrets would cross the network in clear text. " +
        "Configure TLS with --tls-cert FILE (and --tls-key FILE for a separate PEM key; or BERTH_TLS_CERT, BERTH_TLS_KEY) and https:// URLs, or bind 127.0.0.1.";

    private static BindingAddress Parse(string url)
    {
        try
        {
            return BindingAddress.Parse(url);
        }
        catch (FormatException exception)
        {
            throw new BerthServerStartException($"--urls has '{url}', which is not an address like http://127.0.0.1:2378: {exception.Message}", exception);
        }
    }

    private static void CheckSchemes(List<BindingAddress> addresses, bool useTls)
    {
        foreach (var address in addresses)
        {
            var https = address.Scheme.Equals(Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase);
            if (useTls && !https)
            {
                throw new BerthServerStartException(
                    $"--urls has {address}, but {ServerCertificateLoader.CertificateSetting} is set, so every address must use https://; " +
                    $"write https://{address.Host}:{address.Port} instead");
            }

            if (!useTls && https)
            {
                throw new BerthServerStartException(
                    $"--urls has {address}, which needs a certificate; set {ServerCertificateLoader.CertificateSetting}, or use http://");
            }
        }
    }
}
