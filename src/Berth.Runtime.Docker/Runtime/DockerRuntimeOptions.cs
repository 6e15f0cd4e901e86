using Berth.Runtime.Docker.Engine;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>Settings of the docker driver, bound from <c>Berth:Docker:*</c>.</summary>
public sealed record DockerRuntimeOptions
{
    /// <summary>
    /// The engine's unix socket. Default <c>/var/run/docker.sock</c>; while left at the default, a
    /// <c>DOCKER_HOST=unix://...</c> in the environment wins.
    /// </summary>
    public string Socket { get; set; } = DockerEngineClient.DefaultSocketPath;

    /// <summary>Prefix of the per-agent bridge networks (<c>berth-echo</c>). Default <c>berth-</c>.</summary>
    public string NetworkPrefix { get; set; } = "berth-";

    /// <summary>How long <c>docker stop</c> run by hand waits before SIGKILL (Berth's own stops pass their grace). Default 10s.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);
}
