namespace Berth.Core.Runtime;

/// <summary>What to run in an instance and how.</summary>
public sealed record ExecStart
{
    /// <summary>The program and its arguments, not interpreted by a shell.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Whether the command gets a pseudo-terminal (interactive use); its output then comes as one stream. Default false.</summary>
    public bool Tty { get; init; }

    /// <summary>The terminal's initial size when <see cref="Tty"/>; null leaves the engine's default.</summary>
    public TerminalSize? Size { get; init; }
}
