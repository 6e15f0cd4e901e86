using Berth.Core.Specs.Binding;

namespace Berth.Core.Specs;

/// <summary>The desired shape of an agent: what to run, how to reach it, and how to keep it alive.</summary>
/// <remarks>Exactly one of <see cref="Image"/>, <see cref="Build"/> or <see cref="Process"/> is set.</remarks>
public sealed record AgentSpec
{
    /// <summary>The agent's name, a DNS label (lowercase letters, digits and '-', at most 63 characters).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Image to run, for example <c>local/echo:1</c>. Null when the agent is built or runs as a process.</summary>
    public string? Image { get; set; }

    /// <summary>Dockerfile build that produces the agent's image. Null unless the agent is built.</summary>
    public BuildSpec? Build { get; set; }

    /// <summary>Local program to run instead of a container. Null unless the agent is a process.</summary>
    public ProcessSpec? Process { get; set; }

    /// <summary>Overrides the image's entrypoint (container agents only). Empty keeps the image's.</summary>
    public IReadOnlyList<string> Command { get; set; } = [];

    /// <summary>Overrides the image's command (container agents only). Empty keeps the image's.</summary>
    public IReadOnlyList<string> Args { get; set; } = [];

    /// <summary>Port the agent listens on inside its container. Default 8000. A process agent is given a free loopback port in <c>PORT</c> instead.</summary>
    [Expected("a port from 1 to 65535")]
    public int Port { get; set; } = 8000;

    /// <summary>
    /// What the agent speaks on its port: <see cref="AgentProtocol.Http"/> (HTTP/1.1, the default) or <see cref="AgentProtocol.Http2"/>
    /// (HTTP/2 without TLS, as gRPC servers do). The proxy and the health probe use it.
    /// </summary>
    public AgentProtocol Protocol { get; set; } = AgentProtocol.Http;

    /// <summary>Environment variables passed to every instance. Values may hold <c>${secret:NAME}</c> references.</summary>
    public IReadOnlyDictionary<string, string> Env { get; set; } = new Dictionary<string, string>();

    /// <summary>
    /// Files placed in every instance, path to content; content may hold <c>${secret:NAME}</c> references. A container agent names
    /// absolute paths inside the container; a process agent names paths relative to the folder in its <c>BERTH_FILES_DIR</c>.
    /// Files live in memory only and are read-only to the agent. Empty by default.
    /// </summary>
    public IReadOnlyDictionary<string, string> Files { get; set; } = new Dictionary<string, string>();

    /// <summary>Memory and CPU limits. Null means no limits.</summary>
    public ResourceSpec? Resources { get; set; }

    /// <summary>Volumes mounted into container agents.</summary>
    public IReadOnlyList<VolumeSpec> Volumes { get; set; } = [];

    /// <summary>Confinement of a container agent: capabilities given back, read-only root filesystem, user. Null: Berth's defaults (all capabilities dropped, no new privileges, the image's user).</summary>
    public SecuritySpec? Security { get; set; }

    /// <summary>How Berth decides the agent is healthy. Default: a TCP connect to the port every 10s.</summary>
    public HealthSpec Health { get; set; } = new();

    /// <summary>Number of instances to run. Default 1; 0 keeps the agent defined but not running.</summary>
    [Expected("a number of instances from 0 to 100")]
    public int Replicas { get; set; } = 1;

    /// <summary>When exited instances are started again. Default: always, with backoff up to 5m.</summary>
    public RestartSpec Restart { get; set; } = new();

    /// <summary>How the proxy keeps this agent's requests: stored before forwarding, retried, replayed after a recovery. Default: enabled, 5 attempts, backoff 1s up to 1m, 60s per attempt, kept 7d.</summary>
    public PersistenceSpec Persistence { get; set; } = new();

    /// <summary>Capabilities this agent provides, for capability routing: names, or mappings with a version and schemas. Default empty.</summary>
    public IReadOnlyList<DeclaredCapability> Capabilities { get; set; } = [];

    /// <summary>Agents that must be healthy before this one starts.</summary>
    public IReadOnlyList<string> DependsOn { get; set; } = [];

    /// <summary>What the agent's own token lets it call through Berth. Null: nothing.</summary>
    public AccessSpec? Access { get; set; }

    /// <summary>Whether (and where) the agent serves MCP over streamable HTTP, for Berth's MCP gateway. Null: it does not.</summary>
    public McpSpec? Mcp { get; set; }

    /// <summary>Whether (and where) the agent serves an A2A agent card, which Berth serves through its proxy. Null: it does not.</summary>
    public A2aSpec? A2a { get; set; }

    /// <summary>The runtime kind the spec calls for.</summary>
    public AgentKind Kind => Process is not null ? AgentKind.Process : AgentKind.Container;
}
