using System.Text.Json.Serialization;

namespace Berth.Runtime.Process.Isolation;

[JsonSerializable(typeof(Dictionary<string, uint>))]
internal sealed partial class AgentUserJsonContext : JsonSerializerContext;
