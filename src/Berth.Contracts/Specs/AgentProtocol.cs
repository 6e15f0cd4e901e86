namespace Berth.Core.Specs;

/// <summary>How the proxy and the health probe speak to an agent's instances.</summary>
public enum AgentProtocol
{
    /// <summary>HTTP/1.1, with WebSocket upgrades passed through. The default.</summary>
    Http,

    /// <summary>HTTP/2 without TLS (h2c, prior knowledge), for gRPC and other HTTP/2 servers; WebSockets go as HTTP/2 extended CONNECT.</summary>
    Http2,
}
