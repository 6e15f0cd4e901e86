using Berth.Runtime.Docker.Engine;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>
/// Settings of the docker driver. The server binds <see cref="Socket"/>, <see cref="NetworkPrefix"/>, <see cref="StopGrace"/>,
/// <see cref="AgentSubnets"/> and <see cref="AgentSubnetPrefix"/>
/// from <c>Berth:Docker</c> and sets the rest itself.
/// </summary>
public sealed record DockerRuntimeOptions
{
    /// <summary>
    /// The engine's unix socket. Default <c>/var/run/docker.sock</c>; while left at the default, a
    /// <c>DOCKER_HOST=unix://...</c> in the environment wins.
    /// </summary>
    public string Socket { get; set; } = DockerEngineClient.DefaultSocketPath;

    /// <summary>
    /// Identifies the Berth server that owns what this driver creates (label <c>berth.owner</c>). The
    /// driver sees only its owner's containers and networks, so several servers can share one engine.
    /// Default <c>default</c>; the server passes the id kept in its data directory.
    /// </summary>
    public string OwnerId { get; set; } = "default";

    /// <summary>Prefix of the per-agent bridge networks (<c>berth-echo</c>). Default <c>berth-</c>.</summary>
    public string NetworkPrefix { get; set; } = "berth-";

    /// <summary>
    /// An IPv4 range in CIDR form (<c>10.213.0.0/16</c>) that agent networks take their addresses from, one
    /// <see cref="AgentSubnetPrefix"/> block each, skipping blocks any engine network already uses. Default null: the engine
    /// picks from its default address pools, which hold about 30 networks.
    /// </summary>
    public string? AgentSubnets { get; set; }

    /// <summary>Prefix length of each agent network's block inside <see cref="AgentSubnets"/>, 16 to 29. Default 26 (62 addresses).</summary>
    public int AgentSubnetPrefix { get; set; } = 26;

    /// <summary>
    /// The Berth server's data directory, which no volume may mount, contain or reach through a symbolic link
    /// (it holds tokens, the secrets key and the database). Default null; the server passes its own.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>How long <c>docker stop</c> run by hand waits before SIGKILL (Berth's own stops pass their grace). Default 10s.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Memory-backed (tmpfs) directory where instances' <c>files</c> are written before they are bind-mounted read-only into
    /// containers; it must be on the engine's host. Default <c>/dev/shm/berth-{OwnerId}</c>.
    /// </summary>
    public string? FilesDirectory { get; set; }

    /// <summary>The process agents' homes (<c>Berth:Process:AgentsDirectory</c>), which no container may mount. Optional.</summary>
    public string? AgentsDirectory { get; set; }
}
