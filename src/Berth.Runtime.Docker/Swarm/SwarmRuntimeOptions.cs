namespace Berth.Runtime.Docker.Swarm;

/// <summary>Settings of the swarm driver (<c>Berth:Swarm</c>); the engine, owner and stop grace are the docker driver's (<c>Berth:Docker</c>).</summary>
public sealed record SwarmRuntimeOptions
{
    /// <summary>Configuration section: <c>Berth:Swarm</c>.</summary>
    public const string Section = "Berth:Swarm";

    /// <summary>
    /// The image of the relay that carries Berth's calls from 127.0.0.1 into an agent's overlay network. It must hold
    /// <c>/bin/busybox</c> with <c>nc -e</c> (the official <c>busybox</c> image and Debian's busybox do). Berth never pulls
    /// it: pull or import it on the node Berth's engine runs on.
    /// </summary>
    public string RelayImage { get; set; } = "busybox:1.37";
}
