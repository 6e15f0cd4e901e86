namespace Berth.Server.Security;

/// <summary>
/// The authorization policies routes are mapped with. Each route group names one, so a route cannot be
/// added without deciding who may call it (a test fails for any route that has none).
/// </summary>
public static class BerthPolicies
{
    /// <summary>Read-only access: viewer, operator or admin.</summary>
    public const string Viewer = "Viewer";

    /// <summary>Deploy and run agents: operator or admin.</summary>
    public const string Operator = "Operator";

    /// <summary>Tokens, secrets and the audit log: admin only.</summary>
    public const string Admin = "Admin";

    /// <summary>Reading stored requests: any user role, or an agent's own token (which sees only its own requests).</summary>
    public const string RequestReader = "RequestReader";

    /// <summary>Calling an agent through the proxy: operator or admin; agent principals only for agents their spec names.</summary>
    public const string AgentProxy = "AgentProxy";

    /// <summary>
    /// The MCP gateway (<c>/mcp/gateway</c>): any user role or agent token; which agents' tools each sees and may call is decided
    /// per tool (viewers list, operators call, an agent token reaches only the agents its spec names).
    /// </summary>
    public const string McpGateway = "McpGateway";
}
