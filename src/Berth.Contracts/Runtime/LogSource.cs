namespace Berth.Core.Runtime;

/// <summary>Which output stream a log line came from.</summary>
public enum LogSource
{
    /// <summary>Standard output.</summary>
    Stdout,

    /// <summary>Standard error.</summary>
    Stderr,
}
