namespace Berth.Server.Mcp;

/// <summary>
/// Settings of the MCP endpoints (<c>Berth:Mcp</c>). Requests whose <c>Host</c> or <c>Origin</c> names a host not listed
/// here (or a loopback name) are refused, so a web page that re-points its own name at this machine (DNS rebinding) cannot
/// talk to Berth through a browser.
/// </summary>
public sealed class McpSettings
{
    /// <summary>The configuration section these settings bind from.</summary>
    public const string Section = "Berth:Mcp";

    /// <summary>
    /// Host names (without port, comma-separated) clients may reach <c>/mcp</c> by, besides loopback (<c>localhost</c>,
    /// <c>127.0.0.1</c>, <c>[::1]</c>), which is always allowed. Set the server's DNS name here when it listens on a public
    /// address. Default none.
    /// </summary>
    public string AllowedHosts { get; set; } = "";

    /// <summary>
    /// How long one tool call through the MCP gateway (<c>/mcp/gateway</c>) may take, from the call reaching Berth to the agent's
    /// answer; past it the call is a tool error naming this setting. Default 60s.
    /// </summary>
    public TimeSpan GatewayCallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><see cref="AllowedHosts"/> as a list.</summary>
    public IEnumerable<string> AllowedHostNames => AllowedHosts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
