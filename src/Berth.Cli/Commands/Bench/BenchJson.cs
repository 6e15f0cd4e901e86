using System.Text.Json.Serialization;

namespace Berth.Cli.Commands.Bench;

/// <summary>Source-generated JSON of the bench report (the CLI is Native AOT): camelCase, indented, nulls kept so the fields are always there.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(BenchReport))]
[JsonSerializable(typeof(BenchComparison))]
internal sealed partial class BenchJson : JsonSerializerContext;
