namespace Berth.Core.Runtime;

/// <summary>A command running in an instance with its standard streams attached. Disposing it detaches (the command may go on).</summary>
public interface IExecSession : IAsyncDisposable
{
    /// <summary>The command's output as it comes; ends when the command closed its output (normally: when it exited).</summary>
    IAsyncEnumerable<ExecOutput> ReadOutputAsync(CancellationToken cancellationToken);

    /// <summary>Sends bytes to the command's standard input.</summary>
    ValueTask WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Closes the command's standard input, so a command reading it sees end of file. Idempotent.</summary>
    void CloseInput();

    /// <summary>Changes the TTY's size; no-op without a TTY.</summary>
    Task ResizeAsync(TerminalSize size, CancellationToken cancellationToken);

    /// <summary>Waits until the command has exited and returns its exit code.</summary>
    Task<int> WaitForExitAsync(CancellationToken cancellationToken);
}
