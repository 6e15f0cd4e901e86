using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Server.Proxy;

/// <summary>
/// Requests that are streams rather than messages: a WebSocket handshake (HTTP/1.1 <c>Upgrade</c> or HTTP/2 extended
/// <c>CONNECT</c>) and a gRPC call (<c>application/grpc</c>). Their bodies have no end to wait for before storing, so the durable
/// proxy never journals them: they are forwarded as they come, even to an agent with persistence on.
/// </summary>
internal static class StreamRequests
{
    private const string GrpcContentType = "application/grpc";

    public static bool IsStream(HttpContext context) =>
        IsUpgrade(context) ||
        context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true ||
        IsGrpc(context.Request.ContentType);

    // The upgrades YARP carries out (WebSocket, SPDY); any other Upgrade header (h2c) is dropped and the request is a plain message.
    private static bool IsUpgrade(HttpContext context)
    {
        if (context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest != true)
        {
            return false;
        }

        var upgrade = context.Request.Headers.Upgrade.ToString();
        return upgrade.Equals("websocket", StringComparison.OrdinalIgnoreCase) || upgrade.StartsWith("SPDY/", StringComparison.OrdinalIgnoreCase);
    }

    // application/grpc, application/grpc+proto, application/grpc-web…: all framed as a stream of messages.
    private static bool IsGrpc(string? contentType) =>
        contentType is not null && contentType.StartsWith(GrpcContentType, StringComparison.OrdinalIgnoreCase);
}
