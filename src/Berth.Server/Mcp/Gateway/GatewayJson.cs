using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Server.Mcp.Gateway;

/// <summary>How the gateway's own answers (<c>find_tools</c>) are written: camelCase, nulls left out, source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FindTools.Answer))]
internal sealed partial class GatewayJson : JsonSerializerContext;
