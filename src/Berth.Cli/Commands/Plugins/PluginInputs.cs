using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cli.Commands.Plugins;

/// <summary>
/// The inputs of <c>berth plugins invoke</c>: a JSON object from <c>-f FILE</c> (or <c>-f -</c> for stdin), then each
/// <c>--input KEY=TEXT</c> (a string) or <c>--input KEY:=JSON</c> (a number, boolean, list or object) set over it.
/// </summary>
internal static class PluginInputs
{
    public static async Task<JsonObject> ReadAsync(CliSession session, string? file, IReadOnlyList<string> pairs, CancellationToken cancellationToken)
    {
        var inputs = file is null ? [] : await ReadFileAsync(session, file, cancellationToken);
        foreach (var pair in pairs)
        {
            var (key, value) = Parse(pair);
            inputs[key] = value;
        }

        return inputs;
    }

    /// <summary><c>text=hello</c> is the string hello; <c>count:=3</c> is the number 3.</summary>
    public static (string Key, JsonNode? Value) Parse(string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || (equals == 1 && pair[0] == ':'))
        {
            throw new CliException($"--input must look like KEY=TEXT or KEY:=JSON, got '{pair}'", ExitCodes.Usage);
        }

        if (pair[equals - 1] != ':')
        {
            return (pair[..equals], JsonValue.Create(pair[(equals + 1)..]));
        }

        var key = pair[..(equals - 1)];
        try
        {
            return (key, JsonNode.Parse(pair[(equals + 1)..]));
        }
        catch (JsonException ex)
        {
            throw new CliException($"--input {key}:= takes JSON (3, true, \"text\", [1, 2], {{\"a\": 1}}): {ex.Message}", ExitCodes.Usage);
        }
    }

    private static async Task<JsonObject> ReadFileAsync(CliSession session, string file, CancellationToken cancellationToken)
    {
        string text;
        if (file == "-")
        {
            text = await session.Context.In.ReadToEndAsync(cancellationToken);
        }
        else
        {
            var path = Path.GetFullPath(file, session.Context.CurrentDirectory);
            text = File.Exists(path)
                ? await File.ReadAllTextAsync(path, cancellationToken)
                : throw new CliException($"-f {file}: no such file {path}", ExitCodes.Usage);
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new CliException($"-f {file}: expected a JSON object of inputs, like {{\"text\": \"hello\"}}", ExitCodes.Invalid);
        }
        catch (JsonException ex)
        {
            throw new CliException($"-f {file}: not JSON: {ex.Message}", ExitCodes.Invalid);
        }
    }
}
