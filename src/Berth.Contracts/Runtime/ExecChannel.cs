namespace Berth.Core.Runtime;

/// <summary>
/// The first byte of every binary WebSocket message of <c>/api/v1/agents/{name}/exec</c>; the rest of the message is the
/// channel's payload (see docs/api.md, "Exec frame protocol").
/// </summary>
public enum ExecChannel : byte
{
    /// <summary>Client to server: bytes for the command's standard input; an empty payload closes it (end of file).</summary>
    Stdin = 0,

    /// <summary>Server to client: bytes the command wrote to standard output (everything, with a TTY).</summary>
    Stdout = 1,

    /// <summary>Server to client: bytes the command wrote to standard error.</summary>
    Stderr = 2,

    /// <summary>Server to client, last: <c>{"exitCode":N}</c>; the server then closes the socket.</summary>
    Exit = 3,

    /// <summary>Client to server: <c>{"rows":R,"cols":C}</c>, the terminal's new size (ignored without a TTY).</summary>
    Resize = 4,

    /// <summary>Server to client, last: a problem (<c>{"type","title","detail"}</c>) that ended the session; the server then closes the socket.</summary>
    Error = 5,
}
