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

    /// <summary>Publishing to a topic: operator or admin; an agent principal only to topics its spec lists in <c>access.publish</c>.</summary>
    public const string MessagePublish = "MessagePublish";

    /// <summary>Consuming a subscription (receive, stream, ack, nack): operator or admin; an agent principal only a subscription delivered to it.</summary>
    public const string MessageConsume = "MessageConsume";

    /// <summary>Sending mail or a request to an agent's mailbox: operator or admin; an agent principal to itself or an agent its spec lists in <c>access.agents</c>.</summary>
    public const string MailboxSend = "MailboxSend";

    /// <summary>Reading an agent's mailbox (receive, stream, ack, nack, reply): operator or admin, or that agent's own token.</summary>
    public const string MailboxConsume = "MailboxConsume";

    /// <summary>
    /// Calling a model endpoint through the LLM gateway (<c>/llm/{endpoint}/…</c>): operator or admin (a call spends money, so not
    /// a viewer); an agent principal only endpoints its spec lists in <c>access.models</c>.
    /// </summary>
    public const string LlmCaller = "LlmCaller";

    /// <summary>Scraping <c>/metrics</c>: any user role, or a <c>metrics</c> token (which the fallback policy keeps from everything else).</summary>
    public const string MetricsReader = "MetricsReader";
}
