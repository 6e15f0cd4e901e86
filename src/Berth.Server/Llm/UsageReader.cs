using System.Buffers;
using System.Text.Json;
using Berth.Core.Llm;

namespace Berth.Server.Llm;

/// <summary>
/// Reads the token usage a provider reports in an answer while the answer passes through to the caller, without holding it
/// back: a JSON answer is kept (up to <see cref="MaxKeptBytes"/>) and read at its end; an event stream is read a line at a
/// time, and only the events that carry usage are parsed (OpenAI's last chunk or <c>response.completed</c>, Anthropic's
/// <c>message_start</c> and <c>message_delta</c>).
/// </summary>
internal sealed class UsageReader(ModelProvider provider, bool eventStream) : IDisposable
{
    /// <summary>The most of an answer (or of one event) kept to read usage from: 32 MiB.</summary>
    public const int MaxKeptBytes = 32 * 1024 * 1024;

    private static readonly byte[] UsageMarker = "\"usage\""u8.ToArray();

    private readonly ArrayBufferWriter<byte> _kept = new();
    private bool _overflow;
    private long? _input;
    private long? _output;
    private long? _cached;
    private long? _cacheCreation;

    /// <summary>The whole answer, when it was JSON rather than a stream and at most <see cref="MaxKeptBytes"/>; null otherwise.</summary>
    public ReadOnlyMemory<byte>? JsonBody => eventStream || _overflow ? null : _kept.WrittenMemory;

    /// <summary>Whether the provider reported usage in what was read.</summary>
    public bool Found => _input is not null || _output is not null;

    /// <summary>The tokens the answer reported (zero for fields it left out).</summary>
    public TokenUsage Usage
    {
        get
        {
            var cached = _cached ?? 0;
            // Anthropic counts cache reads and cache writes apart from input_tokens; OpenAI's prompt count includes its cached tokens.
            var prompt = provider == ModelProvider.Anthropic ? (_input ?? 0) + cached + (_cacheCreation ?? 0) : _input ?? 0;
            return new TokenUsage(prompt, cached, _output ?? 0);
        }
    }

    /// <summary>Reads the next bytes of the answer.</summary>
    public void Read(ReadOnlySpan<byte> chunk)
    {
        if (!eventStream)
        {
            Keep(chunk);
            return;
        }

        while (!chunk.IsEmpty)
        {
            var end = chunk.IndexOf((byte)'\n');
            if (end < 0)
            {
                Keep(chunk);
                return;
            }

            Keep(chunk[..end]);
            ReadEventLine();
            chunk = chunk[(end + 1)..];
        }
    }

    /// <summary>Reads what is left at the end of the answer.</summary>
    public void Complete()
    {
        if (eventStream)
        {
            ReadEventLine();
        }
        else if (!_overflow && _kept.WrittenCount > 0)
        {
            ReadJson(_kept.WrittenSpan);
        }
    }

    public void Dispose() => _kept.ResetWrittenCount();

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (_overflow || _kept.WrittenCount + bytes.Length > MaxKeptBytes)
        {
            _overflow = true;
            return;
        }

        _kept.Write(bytes);
    }

    private void ReadEventLine()
    {
        var line = _kept.WrittenSpan.TrimEnd((byte)'\r');
        if (!_overflow && line.StartsWith("data:"u8) && CarriesUsage(line))
        {
            ReadJson(line["data:"u8.Length..]);
        }

        _kept.ResetWrittenCount();
        _overflow = false;
    }

    // An OpenAI stream asked for its usage writes "usage":null in every chunk but the last; only an object is worth parsing.
    private static bool CarriesUsage(ReadOnlySpan<byte> line)
    {
        var at = line.IndexOf(UsageMarker);
        while (at >= 0)
        {
            var rest = line[(at + UsageMarker.Length)..].TrimStart(" \t:"u8);
            if (!rest.IsEmpty && rest[0] == (byte)'{')
            {
                return true;
            }

            line = rest;
            at = line.IndexOf(UsageMarker);
        }

        return false;
    }

    private void ReadJson(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            // The usage sits at the top (a JSON answer, an OpenAI chunk, Anthropic's message_delta), in Anthropic's
            // message_start under "message", or in OpenAI's response.completed event under "response".
            var usage = Find(root, "usage")
                ?? (Find(root, "message") is { } message ? Find(message, "usage") : null)
                ?? (Find(root, "response") is { } response ? Find(response, "usage") : null);
            if (usage is { } found)
            {
                ReadUsage(found);
            }
        }

        catch (JsonException)
        {
            // Not JSON after all (or cut short): it carries no usage Berth can count.
        }
    }

    private void ReadUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (provider == ModelProvider.Anthropic)
        {
            _input = Count(usage, "input_tokens") ?? _input;
            _output = Count(usage, "output_tokens") ?? _output;
            _cached = Count(usage, "cache_read_input_tokens") ?? _cached;
            _cacheCreation = Count(usage, "cache_creation_input_tokens") ?? _cacheCreation;
            return;
        }

        // Chat completions and embeddings say prompt/completion; the Responses API says input/output.
        _input = Count(usage, "prompt_tokens") ?? Count(usage, "input_tokens") ?? _input;
        _output = Count(usage, "completion_tokens") ?? Count(usage, "output_tokens") ?? _output;
        var details = Find(usage, "prompt_tokens_details") ?? Find(usage, "input_tokens_details");
        _cached = (details is { } d ? Count(d, "cached_tokens") : null) ?? _cached;
    }

    private static JsonElement? Find(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static long? Count(JsonElement usage, string name) =>
        Find(usage, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var count) && count >= 0 ? count : null;
}
