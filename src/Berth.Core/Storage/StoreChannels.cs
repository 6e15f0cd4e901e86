namespace Berth.Core.Storage;

/// <summary>The channels of <see cref="IStoreSignals"/>; a fixed set, so a listener subscribes to all of them at once.</summary>
public static class StoreChannels
{
    /// <summary>A publish on the embedded broker; the payload is the topic.</summary>
    public const string Messages = "berth_messages";

    /// <summary>A durable request finished (completed or dead-lettered); the payload is its id.</summary>
    public const string Requests = "berth_requests";

    /// <summary>A run was cancelled through a server other than the one executing it; the payload is <c>{run id} {who}</c>.</summary>
    public const string RunCancels = "berth_run_cancels";

    /// <summary>The longest payload: ids and names, well within PostgreSQL's 8000-byte notification limit.</summary>
    public const int MaxPayloadLength = 1024;

    /// <summary>Every channel.</summary>
    public static IReadOnlyList<string> All { get; } = [Messages, Requests, RunCancels];

    /// <summary>Throws unless <paramref name="channel"/> is one of <see cref="All"/>.</summary>
    public static void Check(string channel)
    {
        if (!All.Contains(channel))
        {
            throw new ArgumentException($"'{channel}' is not a store channel; use one of {string.Join(", ", All)}", nameof(channel));
        }
    }
}
