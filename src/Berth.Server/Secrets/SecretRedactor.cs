using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Berth.Server.Secrets;

/// <summary>
/// Knows the secret values this server has seen and replaces each occurrence in text with <c>[redacted:NAME]</c>, in any
/// form a serializer may have written it (JSON-escaped, percent-encoded; see <see cref="SecretPattern"/>), so a value with
/// <c>+</c> or <c>"</c> is found in JSON written by .NET as well as in a URL.
/// Used on events, instance messages, problem details and Berth's own log output. Values shorter than
/// <see cref="MinimumLength"/> characters are not redacted: replacing every "abc" in every log line would hide more
/// than it protects. A value that is replaced or deleted stays redacted until the server restarts, because agents
/// started before may still hold it.
/// </summary>
internal sealed class SecretRedactor
{
    /// <summary>Values shorter than this many characters are not redacted.</summary>
    public const int MinimumLength = 4;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Lock _gate = new();
    private volatile KnownValue[] _known = [];

    /// <summary>True when no value is known, so text passes through untouched.</summary>
    public bool IsEmpty => _known.Length == 0;

    /// <summary>Forgets every value and learns <paramref name="secrets"/>: the start-up state.</summary>
    public void Reset(IEnumerable<KeyValuePair<string, byte[]>> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var known = new List<KnownValue>();
        foreach (var (name, value) in secrets)
        {
            Add(known, name, value);
        }

        lock (_gate)
        {
            _known = Sorted(known);
        }
    }

    /// <summary>Learns the value of secret <paramref name="name"/> (set through the API, or decrypted for an agent).</summary>
    public void Remember(string name, ReadOnlySpan<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Decode(value) is not { Length: >= MinimumLength } text)
        {
            return;
        }

        lock (_gate)
        {
            if (_known.Any(k => k.Name == name && k.Value == text))
            {
                return;
            }

            _known = Sorted([.. _known, Known(name, text)]);
        }
    }

    /// <summary><paramref name="text"/> with every known value replaced by <c>[redacted:NAME]</c>.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public string? Redact(string? text)
    {
        var known = _known;
        if (string.IsNullOrEmpty(text) || known.Length == 0)
        {
            return text;
        }

        foreach (var secret in known)
        {
            text = secret.Pattern.Replace(text, secret.Replacement);
        }

        return text;
    }

    /// <summary>
    /// Redacts every string value and property name of <paramref name="node"/> in place, as <see cref="Redact(string?)"/>
    /// does: for parsed JSON, whose strings no longer show how the text had escaped them. Returns the node to keep (a new
    /// one when <paramref name="node"/> itself is a string that changed).
    /// </summary>
    public JsonNode? Redact(JsonNode? node)
    {
        if (_known.Length == 0)
        {
            return node;
        }

        switch (node)
        {
            case JsonObject obj:
                for (var i = 0; i < obj.Count; i++)
                {
                    var (name, child) = obj.GetAt(i);
                    var safeName = Redact(name);
                    var safe = Redact(child);
                    if (safeName == name && ReferenceEquals(safe, child))
                    {
                        continue;
                    }

                    obj.RemoveAt(i);
                    // Two names redacted to the same marker: the later one goes, like a duplicate name in JSON text.
                    if (!obj.ContainsKey(safeName))
                    {
                        obj.Insert(i, safeName, safe);
                    }
                    else
                    {
                        i--;
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var item = array[i];
                    var safe = Redact(item);
                    if (!ReferenceEquals(safe, item))
                    {
                        array[i] = safe;
                    }
                }

                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                var redacted = Redact(text);
                return redacted == text ? value : JsonValue.Create(redacted);
            default:
                return node;
        }
    }

    private static void Add(List<KnownValue> known, string name, byte[] value)
    {
        if (Decode(value) is { Length: >= MinimumLength } text)
        {
            known.Add(Known(name, text));
        }
    }

    // Longest first, so a value that contains another is replaced whole.
    private static KnownValue[] Sorted(IEnumerable<KnownValue> known) =>
        known.DistinctBy(k => k.Value, StringComparer.Ordinal).OrderByDescending(k => k.Value.Length).ToArray();

    // A value that is not UTF-8 text cannot appear in Berth's text output as such; there is nothing to match.
    private static string? Decode(ReadOnlySpan<byte> value)
    {
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static KnownValue Known(string name, string value) => new(name, value, SecretPattern.Build(value), $"[redacted:{name}]".Replace("$", "$$", StringComparison.Ordinal));

    private sealed record KnownValue(string Name, string Value, Regex Pattern, string Replacement);
}
