using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Runtime.Docker.Engine;

/// <summary>JSON settings for the Engine API, which names fields in PascalCase (unlike Berth's own camelCase API).</summary>
internal static class DockerJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
