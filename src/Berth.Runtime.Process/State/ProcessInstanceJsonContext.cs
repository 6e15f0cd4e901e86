using System.Text.Json.Serialization;

namespace Berth.Runtime.Process.State;

[JsonSerializable(typeof(ProcessInstanceRecord))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
internal sealed partial class ProcessInstanceJsonContext : JsonSerializerContext;
