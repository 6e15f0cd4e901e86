using Berth.Core.Messaging;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sql;

/// <summary>One row of <c>messages</c> as Dapper reads it; <see cref="Seq"/> comes first, where a joined query splits.</summary>
internal sealed class BrokerMessageRow : StoredMessageRow
{
    public const string Columns =
        "m.seq AS Seq, m.id AS Id, m.topic AS Topic, m.key AS Key, m.attributes AS Attributes, m.body AS Body, " +
        "m.published_at AS PublishedAt, m.publisher AS Publisher, m.dedupe_id AS DedupeId, m.correlation_id AS CorrelationId, " +
        "m.reply_to AS ReplyTo";

    public long Seq { get; init; }

    /// <summary>The copy published to the topic's dead-letter topic: the same message, saying where and why it died.</summary>
    public PreparedMessage ToDeadLetter(string deadLetterTopic, string subscription, string reason)
    {
        var attributes = ReadAttributes();
        attributes[DeadLetterAttributes.Subscription] = subscription;
        attributes[DeadLetterAttributes.Reason] = reason;
        attributes[DeadLetterAttributes.Message] = Id;
        return new PreparedMessage(deadLetterTopic, Key, attributes, StoredJson.Serialize(attributes), Body, DeadLetterAttributes.Publisher, null, CorrelationId, ReplyTo);
    }
}
