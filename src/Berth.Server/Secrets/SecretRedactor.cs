using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Berth.Server.Secrets;

/// <summary>
/// Knows the secret values this server has seen and replaces each occurrence in text with <c>[redacted:NAME]</c>.
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

            _known = Sorted([.. _known, new KnownValue(name, text)]);
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
            if (text.Contains(secret.Value, StringComparison.Ordinal))
            {
                text = text.Replace(secret.Value, $"[redacted:{secret.Name}]", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static void Add(List<KnownValue> known, string name, byte[] value)
    {
        if (Decode(value) is { Length: >= MinimumLength } text)
        {
            known.Add(new KnownValue(name, text));
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

    private sealed record KnownValue(string Name, string Value);
}
