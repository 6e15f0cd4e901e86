using System.Runtime.InteropServices;

namespace Berth.Cli.Commands.Exec;

/// <summary>
/// Puts the terminal on standard input in raw mode (no echo, no line editing, Ctrl+C as a byte) while a TTY exec runs, and puts
/// it back when disposed. .NET has no API for it; these are the three libc calls <c>stty raw -echo</c> makes.
/// </summary>
internal sealed partial class RawTerminal : IDisposable
{
    private const int StandardInput = 0;
    private const int ApplyNow = 0; // TCSANOW

    // struct termios is 60 bytes on glibc; a larger buffer is harmless and covers other C libraries.
    private readonly byte[] _saved = new byte[256];
    private readonly bool _active;

    private RawTerminal()
    {
        if (GetAttributes(StandardInput, _saved) != 0)
        {
            return;
        }

        var raw = (byte[])_saved.Clone();
        MakeRaw(raw);
        _active = SetAttributes(StandardInput, ApplyNow, raw) == 0;
    }

    /// <summary>Switches to raw mode; a no-op object when standard input is no terminal.</summary>
    public static RawTerminal Enter() => new();

    public void Dispose()
    {
        if (_active)
        {
            _ = SetAttributes(StandardInput, ApplyNow, _saved);
        }
    }

    [LibraryImport("libc", EntryPoint = "tcgetattr")]
    private static partial int GetAttributes(int fd, [Out] byte[] termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr")]
    private static partial int SetAttributes(int fd, int when, [In] byte[] termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    private static partial void MakeRaw([In, Out] byte[] termios);
}
