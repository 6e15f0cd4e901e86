using System.Text.Json.Serialization;

namespace Berth.Runtime.Docker.Engine.Models.Swarm;

/// <summary>Body of <c>POST /services/create</c> and <c>/services/{id}/update</c>, as far as Berth fills it.</summary>
public sealed record ServiceSpec
{
    public required string Name { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public required TaskSpec TaskTemplate { get; init; }

    public ServiceMode Mode { get; init; } = new();

    public EndpointSpec? EndpointSpec { get; init; }
}

/// <summary>What each task of a service runs.</summary>
public sealed record TaskSpec
{
    public required ServiceContainerSpec ContainerSpec { get; init; }

    public TaskResources? Resources { get; init; }

    public TaskRestartPolicy? RestartPolicy { get; init; }

    public IReadOnlyList<NetworkAttachment>? Networks { get; init; }

    /// <summary>Raised to make Swarm replace the tasks although nothing else changed.</summary>
    public long ForceUpdate { get; init; }
}

/// <summary>The container of a task.</summary>
public sealed record ServiceContainerSpec
{
    public required string Image { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyList<string>? Args { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public string? User { get; init; }

    /// <summary>Nanoseconds between SIGTERM and SIGKILL when a task stops.</summary>
    public long? StopGracePeriod { get; init; }

    public bool ReadOnly { get; init; }

    public IReadOnlyList<Mount>? Mounts { get; init; }

    public IReadOnlyList<ServiceSecretReference>? Secrets { get; init; }

    public IReadOnlyList<string>? CapabilityAdd { get; init; }

    public IReadOnlyList<string>? CapabilityDrop { get; init; }

    /// <summary><c>host:ip</c> lines for the task's /etc/hosts.</summary>
    public IReadOnlyList<string>? Hosts { get; init; }
}

/// <summary>A Swarm secret placed in a task's container as a file.</summary>
public sealed record ServiceSecretReference
{
    public required ServiceSecretFile File { get; init; }

    [JsonPropertyName("SecretID")]
    public required string SecretId { get; init; }

    public required string SecretName { get; init; }
}

/// <summary>Where and how a secret's file appears.</summary>
public sealed record ServiceSecretFile
{
    /// <summary>Absolute path in the container, or a name under /run/secrets.</summary>
    public required string Name { get; init; }

    [JsonPropertyName("UID")]
    public string Uid { get; init; } = "0";

    [JsonPropertyName("GID")]
    public string Gid { get; init; } = "0";

    /// <summary>File mode (decimal of the octal bits).</summary>
    public int Mode { get; init; } = Convert.ToInt32("444", 8);
}

/// <summary>Limits of each task.</summary>
public sealed record TaskResources
{
    public ResourceLimits? Limits { get; init; }
}

/// <summary>CPU and memory a task may use.</summary>
public sealed record ResourceLimits
{
    [JsonPropertyName("NanoCPUs")]
    public long NanoCpus { get; init; }

    public long MemoryBytes { get; init; }
}

/// <summary>When Swarm replaces a task that ended.</summary>
public sealed record TaskRestartPolicy
{
    /// <summary><c>none</c>, <c>on-failure</c> or <c>any</c>.</summary>
    public required string Condition { get; init; }
}

/// <summary>A network a task joins.</summary>
public sealed record NetworkAttachment
{
    public required string Target { get; init; }

    public IReadOnlyList<string>? Aliases { get; init; }
}

/// <summary>How many tasks run.</summary>
public sealed record ServiceMode
{
    public ReplicatedMode? Replicated { get; init; }
}

/// <summary>A replicated service's task count.</summary>
public sealed record ReplicatedMode
{
    public long Replicas { get; init; }
}

/// <summary>How the service is reached: <c>vip</c> (a virtual IP balanced by IPVS) or <c>dnsrr</c> (its name resolves to the tasks).</summary>
public sealed record EndpointSpec
{
    public required string Mode { get; init; }
}
