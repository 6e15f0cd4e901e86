using System.Text.Json;
using Berth.Core.Serialization;
using YamlDotNet.Serialization;

namespace Berth.Cli.Output;

/// <summary>Writes data as JSON or YAML to the plain data output, so it pipes cleanly into other tools.</summary>
internal static class DataWriter
{
    private static readonly JsonSerializerOptions Indented = new(BerthJson.Options) { WriteIndented = true };

    private static readonly ISerializer Yaml = new SerializerBuilder().WithQuotingNecessaryStrings().Build();

    public static void Write<T>(TextWriter output, T value, OutputFormat format)
    {
        if (format == OutputFormat.Yaml)
        {
            // YAML mirrors the JSON exactly (same names, enum and duration forms) by going through it.
            var element = JsonSerializer.SerializeToElement(value, BerthJson.Options);
            output.Write(Yaml.Serialize(ToPlain(element)));
            return;
        }

        output.WriteLine(JsonSerializer.Serialize(value, Indented));
    }

    private static object? ToPlain(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => ToPlain(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Select(ToPlain).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
