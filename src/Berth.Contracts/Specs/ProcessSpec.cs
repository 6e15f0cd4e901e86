namespace Berth.Core.Specs;

/// <summary>A local program run as the agent. <c>$(PORT)</c> in <see cref="Args"/> becomes the allocated port.</summary>
public sealed record ProcessSpec
{
    /// <summary>Executable: an absolute path, a name found on PATH, or a relative path (resolved against the spec file's directory when read from a file, else against <see cref="WorkingDir"/>).</summary>
    public string Command { get; set; } = string.Empty;

    /// <summary>Arguments; <c>$(PORT)</c> (and any <c>$(NAME)</c> of the instance's environment) is expanded at launch.</summary>
    public IReadOnlyList<string> Args { get; set; } = [];

    /// <summary>Working directory; relative paths resolve against the spec file's directory. Null: the instance's own folder under the server's data directory.</summary>
    public string? WorkingDir { get; set; }
}
