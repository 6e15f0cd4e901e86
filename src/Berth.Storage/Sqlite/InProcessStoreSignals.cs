using Berth.Storage.Sql;

namespace Berth.Storage.Sqlite;

/// <summary>Store signals on SQLite, where one server owns the file: a signal reaches this process's listeners at once.</summary>
internal sealed class InProcessStoreSignals : StoreSignals
{
    public override Task NotifyAsync(string channel, string payload, CancellationToken cancellationToken)
    {
        CheckPayload(channel, payload);
        Hear(channel, payload);
        return Task.CompletedTask;
    }
}
