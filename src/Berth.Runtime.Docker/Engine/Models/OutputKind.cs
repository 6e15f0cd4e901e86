namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>The stream a multiplexed frame belongs to (its header's first byte).</summary>
public enum OutputKind
{
    /// <summary>Standard input (echoed in attach streams).</summary>
    Stdin = 0,

    /// <summary>Standard output.</summary>
    Stdout = 1,

    /// <summary>Standard error.</summary>
    Stderr = 2,
}
