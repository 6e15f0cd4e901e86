using System.Text.Json.Serialization;

namespace Berth.Cli.Auth;

/// <summary>Source-generated contract of <see cref="CliContextFile"/> (the CLI is a Native AOT binary: no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(CliContextFile))]
internal sealed partial class CliContextFileJson : JsonSerializerContext;
