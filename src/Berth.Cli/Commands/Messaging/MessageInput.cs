using System.Buffers;
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Core.Serialization;

namespace Berth.Cli.Commands.Messaging;

/// <summary>
/// What <c>publish</c>, <c>send</c> and <c>request</c> send: <c>-d JSON</c> (or <c>@FILE</c>, or <c>-</c>/<c>@-</c> for stdin),
/// <c>--key</c>, <c>--id</c> and <c>--attr NAME=VALUE</c>, checked against the message bounds before anything is sent.
/// </summary>
internal sealed class MessageInput
{
    /// <summary>The most text <c>-d</c> reads before parsing: 4 times the body limit, so pretty-printed JSON within the limit still fits.</summary>
    internal const int MaxInputChars = 4 * MessageLimits.MaxBodyBytes;

    private readonly Option<string> _data = new("--data", "-d")
    {
        Description = "The message body as JSON ('{\"a\":1}', '\"text\"', 3); @FILE reads a file, - or @- reads stdin",
        HelpName = "JSON",
        Required = true,
    };

    private readonly Option<string?> _key = new("--key") { Description = "The ordering key: on a topic with ordering: key, one key's messages arrive in order", HelpName = "key" };
    private readonly Option<string?> _id = new("--id") { Description = "Your message id: a repeat within the topic's dedupe window is not stored again", HelpName = "id" };

    private readonly Option<string[]> _attributes = new("--attr", "-a")
    {
        Description = "An attribute subscriptions filter on, NAME=VALUE (repeatable)",
        HelpName = "NAME=VALUE",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_data);
        command.Options.Add(_key);
        command.Options.Add(_id);
        command.Options.Add(_attributes);
    }

    /// <summary>The message to send; a usage error (exit 2) naming the option for anything out of bounds.</summary>
    public async Task<PublishRequest> ReadAsync(CliSession session, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(session, session.ParseResult.GetRequiredValue(_data), cancellationToken);
        var attributes = Attributes(session.ParseResult.GetValue(_attributes) ?? []);
        var key = session.ParseResult.GetValue(_key);
        var id = session.ParseResult.GetValue(_id);
        var problems = MessageLimits.Check(new OutgoingMessage { Key = key, DedupeId = id, Attributes = attributes, Publisher = "cli" });
        if (problems.Count > 0)
        {
            var named = problems.Select(p => p.StartsWith("Message-Id:", StringComparison.Ordinal) ? "--id:" + p["Message-Id:".Length..]
                : p.StartsWith("key:", StringComparison.Ordinal) ? "--" + p
                : p.StartsWith("attributes", StringComparison.Ordinal) ? "--attr" + p["attributes".Length..]
                : p);
            throw new CliException(string.Join("; ", named), ExitCodes.Usage);
        }

        return new PublishRequest { Body = body, Key = key, Id = id, Attributes = attributes.Count == 0 ? null : attributes };
    }

    /// <summary>Each <c>NAME=VALUE</c> once; the value is everything after the first <c>=</c>.</summary>
    internal static Dictionary<string, string> Attributes(IEnumerable<string> pairs)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"--attr must look like NAME=VALUE, got '{Printable(pair)}'", ExitCodes.Usage);
            }

            if (!attributes.TryAdd(pair[..equals], pair[(equals + 1)..]))
            {
                throw new CliException($"--attr {Printable(pair[..equals])} is given more than once; give each attribute once", ExitCodes.Usage);
            }
        }

        return attributes;
    }

    /// <summary>Parses the body and checks it is within <see cref="MessageLimits.MaxBodyBytes"/> as compact UTF-8 JSON.</summary>
    internal static JsonNode? ParseBody(string text, string source)
    {
        JsonNode? body;
        try
        {
            body = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = BerthJson.MaximumDepth });
        }
        catch (JsonException exception)
        {
            throw new CliException(
                $"-d {source} is not JSON ({exception.Message}); quote text as JSON, for example -d '\"hello\"' or -d '{{\"text\": \"hello\"}}'", ExitCodes.Usage);
        }

        var size = CompactSize(body);
        return size > MessageLimits.MaxBodyBytes
            ? throw new CliException($"-d {source}: the body is {size} bytes of JSON; a message body is at most {MessageLimits.MaxBodyBytes} bytes (256 KiB)", ExitCodes.Usage)
            : body;
    }

    private static async Task<JsonNode?> ReadBodyAsync(CliSession session, string data, CancellationToken cancellationToken)
    {
        if (data is "-" or "@-")
        {
            return ParseBody(await ReadBoundedAsync(session.Context.In, "stdin", cancellationToken), "stdin");
        }

        if (!data.StartsWith('@'))
        {
            return data.Length > MaxInputChars ? throw TooLong("the text") : ParseBody(data, "text");
        }

        var path = Path.GetFullPath(data[1..], session.Context.CurrentDirectory);
        if (!File.Exists(path))
        {
            throw new CliException($"-d {data}: no such file {path}", ExitCodes.Usage);
        }

        using var reader = new StreamReader(path);
        return ParseBody(await ReadBoundedAsync(reader, data, cancellationToken), data);
    }

    private static async Task<string> ReadBoundedAsync(TextReader reader, string source, CancellationToken cancellationToken)
    {
        var buffer = new char[MaxInputChars + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length > MaxInputChars ? throw TooLong(source) : new string(buffer, 0, length);
    }

    private static CliException TooLong(string source) =>
        new($"-d: {source} is longer than {MaxInputChars} characters; a message body is at most {MessageLimits.MaxBodyBytes} bytes (256 KiB) of JSON", ExitCodes.Usage);

    private static int CompactSize(JsonNode? body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = BerthJson.MaximumDepth }))
        {
            if (body is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                body.WriteTo(writer);
            }
        }

        return buffer.WrittenCount;
    }

    private static string Printable(string text) => new([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
}
