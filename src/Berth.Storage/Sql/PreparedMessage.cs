using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text;
using Berth.Core.Messaging;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sql;

/// <summary>
/// A message checked against <see cref="MessageLimits"/> and turned into the text the <c>messages</c> row holds, before it is
/// queued for the writer: serializing is the publisher's work, not the single writer's.
/// </summary>
internal sealed record PreparedMessage(
    string Topic,
    string? Key,
    IReadOnlyDictionary<string, string> Attributes,
    string AttributesJson,
    string BodyJson,
    string Publisher,
    string? DedupeId,
    string? CorrelationId,
    string? ReplyTo)
{
    // The body is stored as it came, not \u-escaped, so its stored size is its UTF-8 size; it is never embedded in HTML.
    private static readonly JsonSerializerOptions BodyOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Checks and serializes <paramref name="message"/>.</summary>
    /// <exception cref="ArgumentException">The message breaks a bound; the message names each problem.</exception>
    public static PreparedMessage From(string topic, OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var problems = MessageLimits.Check(message).ToList();
        CheckText(message.Publisher, "publisher", required: true, problems);
        CheckText(message.ReplyTo, "replyTo", required: false, problems);
        var body = message.Body?.ToJsonString(BodyOptions) ?? "null";
        if (problems.Count > 0)
        {
            throw new ArgumentException($"The message cannot be published: {string.Join("; ", problems)}.", nameof(message));
        }

        var attributes = new Dictionary<string, string>(message.Attributes, StringComparer.Ordinal);
        return new PreparedMessage(
            topic, message.Key, attributes, StoredJson.Serialize(attributes), body, message.Publisher, message.DedupeId, message.CorrelationId, message.ReplyTo);
    }

    private static void CheckText(string? value, string field, bool required, List<string> problems)
    {
        if (value is null)
        {
            if (required)
            {
                problems.Add($"{field}: required");
            }
        }
        else if (value.Length is 0 or > MessageLimits.MaxTextLength || value.Any(char.IsControl))
        {
            problems.Add($"{field}: expected 1 to {MessageLimits.MaxTextLength} printable characters");
        }
    }
}
