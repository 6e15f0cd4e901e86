using Berth.Storage.Mapping;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Sql;

/// <summary>Housekeeping: dead last leases, messages past retention, dedupe ids past their window.</summary>
internal sealed partial class EmbeddedMessageBroker
{
    private const int SettleChunk = 500;

    private readonly string _dropPastRetention;
    private readonly string _forgetDedupeIds;

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var topology = Topology;
        long dead = 0;
        int settled;
        do
        {
            settled = await _writer.WriteAsync(transaction => SettleAsync(transaction, Topology, null, SettleChunk), cancellationToken);
            dead += settled;
        }
        while (settled >= SettleChunk);

        // A message older than its topic's retention goes, with the rows that still hold it (ON DELETE CASCADE); a younger one
        // stays even once every subscription has acked it, so it can still be looked up by id.
        var now = _time.GetUtcNow();
        var retention = topology.Topics.ToDictionary(t => t.Name, t => StoredTime.Format(now - t.Retention), StringComparer.Ordinal);
        var dropped = retention.Count == 0 ? 0 : await DeleteInChunksAsync(
            _dropPastRetention, new { Cutoffs = StoredJson.Serialize(retention), Chunk }, cancellationToken);
        var windows = topology.Topics.ToDictionary(t => t.Name, t => StoredTime.Format(now - t.DedupeWindow), StringComparer.Ordinal);
        var forgotten = windows.Count == 0 ? 0 : await DeleteInChunksAsync(
            _forgetDedupeIds, new { Cutoffs = StoredJson.Serialize(windows), Chunk }, cancellationToken);
        if (dead + dropped + forgotten > 0)
        {
            LogSwept(_logger, dead, dropped, forgotten);
        }
    }

    // Cutoffs is a JSON object, topic name to the oldest time kept; one statement serves every topic (mailboxes included).
    private static string DropPastRetention(SqlDialect dialect) =>
        $"""
        DELETE FROM messages WHERE seq IN (
            SELECT m.seq FROM {dialect.JsonObjectRows("@Cutoffs")} AS c JOIN messages m ON m.topic = c.key AND m.published_at < c.value LIMIT @Chunk)
        """;

    private static string ForgetDedupeIds(SqlDialect dialect) =>
        $"""
        DELETE FROM message_dedupe WHERE (topic, dedupe_id) IN (
            SELECT x.topic, x.dedupe_id FROM {dialect.JsonObjectRows("@Cutoffs")} AS c JOIN message_dedupe x ON x.topic = c.key AND x.seen_at <= c.value LIMIT @Chunk)
        """;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Broker sweep: {Dead} expired last leases dead, {Dropped} messages past retention dropped, {Forgotten} dedupe ids forgotten")]
    private static partial void LogSwept(ILogger logger, long dead, long dropped, long forgotten);
}
