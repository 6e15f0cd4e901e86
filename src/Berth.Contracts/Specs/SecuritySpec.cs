namespace Berth.Core.Specs;

/// <summary>How a container agent is confined beyond Berth's defaults (all capabilities dropped, no new privileges).</summary>
public sealed record SecuritySpec
{
    /// <summary>Linux capabilities given back to the agent after all are dropped. Null: none.</summary>
    public CapabilitySpec? Capabilities { get; set; }

    /// <summary>Mount the container's root filesystem read-only, with a writable tmpfs at <c>/tmp</c>. Default false.</summary>
    public bool ReadOnlyRootFilesystem { get; set; }

    /// <summary>User the agent runs as: <c>1000</c>, <c>1000:1000</c> or a name known to the image. Null: the image's user.</summary>
    public string? RunAsUser { get; set; }
}
