using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Specs;

/// <summary>How a plugin's instances run.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<PluginRuntime>))]
public enum PluginRuntime
{
    /// <summary>A container from an image or a Dockerfile in the plugin's folder.</summary>
    Container,

    /// <summary>A local program run in the plugin's installed folder.</summary>
    Process,
}
