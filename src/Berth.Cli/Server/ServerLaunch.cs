namespace Berth.Cli.Server;

/// <summary>How <c>berth server</c> runs the server executable installed beside the CLI.</summary>
public enum ServerLaunch
{
    /// <summary>As a child process whose output is copied to the context's console; cancellation sends it SIGTERM. For in-process use (tests).</summary>
    ChildProcess,

    /// <summary>By <c>execvp(3)</c>: the server takes over this process, its PID, signals and exit code. What the real <c>berth</c> does.</summary>
    ReplaceProcess,
}
