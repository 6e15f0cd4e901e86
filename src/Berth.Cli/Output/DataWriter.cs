using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Client;
using Berth.Core.Specs.Yaml;

namespace Berth.Cli.Output;

/// <summary>Writes data as JSON or YAML to the plain data output, so it pipes cleanly into other tools.</summary>
internal static class DataWriter
{
    private static readonly JsonSerializerOptions Indented = new(BerthClientJson.Options) { WriteIndented = true };

    public static void Write<T>(TextWriter output, T value, OutputFormat format)
    {
        if (format == OutputFormat.Yaml)
        {
            // YAML mirrors the JSON exactly (same names, enum and duration forms) by going through it.
            output.Write(JsonYamlWriter.Write(JsonSerializer.SerializeToNode(value, BerthClientJson.TypeInfo<T>())));
            return;
        }

        output.WriteLine(JsonSerializer.Serialize(value, (JsonTypeInfo<T>)Indented.GetTypeInfo(typeof(T))));
    }
}
