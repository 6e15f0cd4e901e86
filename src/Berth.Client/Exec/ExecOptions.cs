namespace Berth.Client.Exec;

/// <summary>How <see cref="BerthClient.OpenExecAsync"/> runs a command.</summary>
public sealed record ExecOptions
{
    /// <summary>The program and its arguments (no shell: wrap in <c>sh -c</c> for one).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The instance to run in; null picks the agent's first running instance.</summary>
    public string? Instance { get; init; }

    /// <summary>Whether the command gets a pseudo-terminal (standard error then comes as standard output). Default false.</summary>
    public bool Tty { get; init; }

    /// <summary>The terminal's size in rows when <see cref="Tty"/>; with <see cref="Columns"/>, or neither.</summary>
    public int? Rows { get; init; }

    /// <summary>The terminal's size in columns when <see cref="Tty"/>.</summary>
    public int? Columns { get; init; }
}
