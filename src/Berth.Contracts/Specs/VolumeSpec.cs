namespace Berth.Core.Specs;

/// <summary>A mount into a container agent: a named volume or an absolute host path at <see cref="Target"/>.</summary>
public sealed record VolumeSpec
{
    /// <summary>Named volume (a DNS label) or absolute host path.</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>Absolute path inside the container.</summary>
    public string Target { get; set; } = string.Empty;

    /// <summary>Mount read-only. Default false.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>True when <see cref="Source"/> is a host path rather than a named volume.</summary>
    public bool IsHostPath => Source.StartsWith('/');
}
