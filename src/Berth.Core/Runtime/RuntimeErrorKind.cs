namespace Berth.Core.Runtime;

/// <summary>How a driver failure should be treated.</summary>
public enum RuntimeErrorKind
{
    /// <summary>May succeed on retry (engine busy, connection reset).</summary>
    Transient,

    /// <summary>The spec or the machine needs fixing first (image missing, executable not found, bad mount).</summary>
    Config,

    /// <summary>The backend cannot be reached at all (engine not running).</summary>
    Unavailable,
}
