using System.Text.Json.Serialization;

namespace Berth.Runtime.Process.State;

[JsonSerializable(typeof(InstanceState))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
internal sealed partial class InstanceStateJsonContext : JsonSerializerContext;
