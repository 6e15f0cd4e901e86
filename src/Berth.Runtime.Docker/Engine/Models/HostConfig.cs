namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Host-side settings of a container.</summary>
public sealed record HostConfig
{
    /// <summary>Container port (<c>8000/tcp</c>) to host bindings.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PortBinding>>? PortBindings { get; init; }

    /// <summary>Memory limit in bytes; 0 means none.</summary>
    public long Memory { get; init; }

    /// <summary>Memory plus swap limit in bytes; equal to <see cref="Memory"/> allows no swap. Null lets the engine choose (twice <see cref="Memory"/>).</summary>
    public long? MemorySwap { get; init; }

    /// <summary>CPU limit in billionths of a core; 0 means none.</summary>
    public long NanoCpus { get; init; }

    /// <summary>Mounts as <c>source:target[:ro]</c>.</summary>
    public IReadOnlyList<string>? Binds { get; init; }

    public IReadOnlyList<Mount>? Mounts { get; init; }

    public string? NetworkMode { get; init; }

    /// <summary>Extra <c>/etc/hosts</c> lines as <c>name:address</c>; <c>host-gateway</c> is the host's address on the bridge.</summary>
    public IReadOnlyList<string>? ExtraHosts { get; init; }

    public RestartPolicy? RestartPolicy { get; init; }

    public IReadOnlyList<string>? SecurityOpt { get; init; }

    /// <summary>Capabilities dropped; Berth drops <c>ALL</c>.</summary>
    public IReadOnlyList<string>? CapDrop { get; init; }

    /// <summary>Capabilities granted after the drop.</summary>
    public IReadOnlyList<string>? CapAdd { get; init; }

    /// <summary>Full access to the host's devices; Berth never sets it.</summary>
    public bool Privileged { get; init; }

    /// <summary>tmpfs mounts: container path to mount options (<c>rw,nosuid,nodev</c>).</summary>
    public IReadOnlyDictionary<string, string>? Tmpfs { get; init; }

    public bool ReadonlyRootfs { get; init; }

    public bool AutoRemove { get; init; }

    public bool? Init { get; init; }
}
