using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Berth.Core.Messaging;

/// <summary>
/// The bounds every message and filter is held to, the same for both brokers: a message is hostile input from whoever may
/// publish, and attributes travel as AMQP headers and HTTP-visible JSON.
/// </summary>
public static partial class MessageLimits
{
    /// <summary>The largest body, as UTF-8 JSON: 256 KiB.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>The most attributes a message (or filter) carries: 32.</summary>
    public const int MaxAttributes = 32;

    /// <summary>The longest attribute name: 64 characters of letters, digits, '.', '_' and '-'.</summary>
    public const int MaxAttributeNameLength = 64;

    /// <summary>The longest attribute value, key, <c>Message-Id</c> or correlation id: 256 characters, none a control character.</summary>
    public const int MaxTextLength = 256;

    /// <summary>The most messages one receive leases: 1000.</summary>
    public const int MaxReceive = 1000;

    // Bodies are measured as stored: compact JSON, non-ASCII text as it is (not \u-escaped), so the bound is its UTF-8 size.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The size of <paramref name="body"/> as the bound counts it: UTF-8 bytes of its compact JSON (<c>null</c> is 4).</summary>
    public static int BodyBytes(JsonNode? body) => body is null ? 4 : Encoding.UTF8.GetByteCount(body.ToJsonString(Compact));

    /// <summary>
    /// The problems with a message's body size, attributes, key and ids (empty when it is acceptable), each naming the field.
    /// The one check every entry point (API, MCP, both brokers) makes, so each refuses the same messages with the same words.
    /// </summary>
    public static IReadOnlyList<string> Check(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var problems = new List<string>();
        var size = BodyBytes(message.Body);
        if (size > MaxBodyBytes)
        {
            problems.Add($"body: {size} bytes of JSON; at most {MaxBodyBytes} are allowed");
        }

        CheckAttributes(message.Attributes, "attributes", problems);
        CheckText(message.Key, "key", problems);
        CheckText(message.DedupeId, "Message-Id", problems);
        CheckText(message.CorrelationId, "correlationId", problems);
        return problems;
    }

    /// <summary>Adds a problem per attribute that breaks the bounds (count, name shape, value length, control characters).</summary>
    public static void CheckAttributes(IReadOnlyDictionary<string, string> attributes, string field, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(problems);
        if (attributes.Count > MaxAttributes)
        {
            problems.Add($"{field}: {attributes.Count} attributes; at most {MaxAttributes} are allowed");
        }

        foreach (var (name, value) in attributes)
        {
            if (!IsAttributeName(name))
            {
                problems.Add($"{field}: '{Printable(name)}' is not an attribute name; expected at most {MaxAttributeNameLength} letters, digits, '.', '_' or '-'");
            }

            CheckText(value, $"{field}.{Printable(name)}", problems);
        }
    }

    /// <summary>True when <paramref name="name"/> may name an attribute.</summary>
    public static bool IsAttributeName(string? name) => name is { Length: > 0 and <= MaxAttributeNameLength } && AttributeName().IsMatch(name);

    private static void CheckText(string? value, string field, List<string> problems)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length is 0 or > MaxTextLength)
        {
            problems.Add($"{field}: {value.Length} characters; expected 1 to {MaxTextLength}");
        }
        else if (value.Any(char.IsControl))
        {
            problems.Add($"{field}: holds a control character; expected printable text");
        }
    }

    private static string Printable(string text) =>
        new([.. text.Take(MaxAttributeNameLength).Select(c => char.IsControl(c) ? '?' : c)]);

    [GeneratedRegex("^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex AttributeName();
}
