using Berth.Core.Specs;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;

namespace Berth.Server.Security;

/// <summary>
/// The address an agent instance calls Berth back on (<c>BERTH_URL</c>): the server's first bound address, as the
/// agent sees it. A process agent shares the host, so a wildcard address becomes the loopback. A container agent
/// sits on a bridge network where 127.0.0.1 is the container itself, so it gets <c>host.docker.internal</c>, which
/// the docker driver maps to the host's bridge gateway; that reaches the server only when it listens on an address
/// the bridge can reach (<c>0.0.0.0</c> or the bridge's gateway), not when it listens on the loopback alone.
/// </summary>
/// <remarks>Without an HTTP server (the reconciler embedded alone) there is nothing to call back: no URL, and launches go ahead.</remarks>
internal sealed class AgentCallback(IServer? server = null, IHostApplicationLifetime? lifetime = null)
{
    /// <summary>The name container agents reach the host by.</summary>
    public const string ContainerHost = "host.docker.internal";

    private Uri? _address;

    /// <summary>True while the server has not bound its addresses yet (the pass before listening): launches wait for it.</summary>
    public bool Pending => server is not null && lifetime is not null && !lifetime.ApplicationStarted.IsCancellationRequested;

    /// <summary>The server's first bound address, or null before it listens or when there is no HTTP server.</summary>
    public Uri? ServerAddress => _address ??= Bound();

    /// <summary>True when the server listens only on a loopback address, where container agents cannot reach it.</summary>
    public bool LoopbackOnly => ServerAddress is { } address && System.Net.IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip);

    /// <summary><c>BERTH_URL</c> for an agent of <paramref name="kind"/>; null when the server has no address to give.</summary>
    public Uri? For(AgentKind kind)
    {
        if (ServerAddress is not { } address)
        {
            return null;
        }

        var builder = new UriBuilder(address);
        if (kind == AgentKind.Container)
        {
            builder.Host = ContainerHost;
        }
        else if (IsWildcard(builder.Host))
        {
            builder.Host = "127.0.0.1";
        }

        return builder.Uri;
    }

    private Uri? Bound()
    {
        if (Pending || server?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is not { } first)
        {
            return null;
        }

        // Kestrel reports wildcards as written (http://+:2378, http://*:2378), which Uri does not parse.
        var text = first.Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal);
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
    }

    private static bool IsWildcard(string host) => host is "0.0.0.0" or "[::]" or "::" or "localhost";
}
