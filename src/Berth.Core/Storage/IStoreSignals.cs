namespace Berth.Core.Storage;

/// <summary>
/// Wake-ups between the servers sharing a store: a server that finishes or changes something another server may be waiting
/// for says so on a channel, and every server listening on it hears the payload (usually an id to look up). On SQLite one
/// server owns the file and a signal stays in the process; on PostgreSQL it is a <c>NOTIFY</c> every server <c>LISTEN</c>s to.
/// Best effort: a signal sent while a listener reconnects is lost, so listeners also look on their own now and then.
/// </summary>
public interface IStoreSignals
{
    /// <summary>Sends <paramref name="payload"/> (at most <see cref="StoreChannels.MaxPayloadLength"/> characters) on <paramref name="channel"/>.</summary>
    Task NotifyAsync(string channel, string payload, CancellationToken cancellationToken);

    /// <summary>
    /// Calls <paramref name="heard"/> with every payload sent on <paramref name="channel"/> from now on, by any server this one
    /// included (on any thread; it must not block), until the registration is disposed. Completes once signals are heard.
    /// </summary>
    Task<IDisposable> ListenAsync(string channel, Action<string> heard, CancellationToken cancellationToken);
}
