using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Berth.Cli.Server;

/// <summary>The two libc calls .NET has no API for: replacing the process image, and sending a signal other than SIGKILL.</summary>
internal static partial class NativeProcess
{
    public const int SigTerm = 15;

    /// <summary>Replaces this process with <paramref name="commandLine"/>[0] (searched on PATH); returns only by throwing when that fails.</summary>
    public static void Replace(IReadOnlyList<string> commandLine)
    {
        var arguments = new nint[commandLine.Count + 1];
        try
        {
            for (var i = 0; i < commandLine.Count; i++)
            {
                arguments[i] = Marshal.StringToCoTaskMemUTF8(commandLine[i]);
            }

            Console.Out.Flush();
            Console.Error.Flush();
            Execvp(arguments[0], arguments);
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
        finally
        {
            foreach (var argument in arguments)
            {
                Marshal.FreeCoTaskMem(argument);
            }
        }
    }

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="processId"/>; false when it has already exited.</summary>
    public static bool Signal(int processId, int signal) => Kill(processId, signal) == 0;

    [LibraryImport("libc", EntryPoint = "execvp", SetLastError = true)]
    private static partial int Execvp(nint file, nint[] arguments);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int processId, int signal);
}
