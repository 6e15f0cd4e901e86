namespace Berth.Core.Runtime;

/// <summary>
/// A runtime driver that can run a command inside a running instance (<c>berth exec</c>). Only drivers whose instances have
/// their own filesystem and process namespace implement it (docker); a process agent's command would simply run on the host.
/// </summary>
public interface IExecRuntime
{
    /// <summary>
    /// Starts <see cref="ExecStart.Command"/> in the running instance and returns the attached session; null when the instance
    /// is not running (or gone). Throws <see cref="RuntimeException"/> when the engine refuses (the program is not found, …).
    /// </summary>
    Task<IExecSession?> StartExecAsync(string instanceId, ExecStart start, CancellationToken cancellationToken);
}
