namespace Berth.Core.Specs;

/// <summary>A mount into a container agent: a named volume or an absolute host path at <see cref="Target"/>.</summary>
public sealed record VolumeSpec
{
    /// <summary>Named volume (a DNS label) or absolute host path.</summary>
    public required string Source { get; init; }

    /// <summary>Absolute path inside the container.</summary>
    public required string Target { get; init; }

    /// <summary>Mount read-only. Default false.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>True when <see cref="Source"/> is a host path rather than a named volume.</summary>
    public bool IsHostPath => Source.StartsWith('/');
}
