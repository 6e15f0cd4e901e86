namespace Berth.Testing.Agents;

/// <summary>
/// Process agents run under uids of their own (the tests run as root), so what a test hands an agent must be open to
/// other users, as it would have to be for a real agent: scripts executable by all, and folders an agent writes into
/// shared like <c>/tmp</c>.
/// </summary>
public static class AgentFiles
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode Shared = Executable | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.StickyBit;

    /// <summary>Creates <paramref name="path"/> (and its parents) writable by every agent, sticky like <c>/tmp</c>; returns it.</summary>
    public static string CreateSharedDirectory(string path)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, Shared);
        return path;
    }

    /// <summary>Writes a script with Unix line endings, executable by every agent.</summary>
    public static void WriteScript(string path, string text)
    {
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, Executable);
    }
}
