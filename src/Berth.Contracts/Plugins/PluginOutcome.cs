using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Plugins;

/// <summary>How a plugin call ended.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<PluginOutcome>))]
public enum PluginOutcome
{
    /// <summary>The plugin answered <c>success: true</c> with outputs matching its schema.</summary>
    Succeeded,

    /// <summary>The call failed: refused inputs, an unreachable or failing plugin, a timeout, or outputs that broke the schema.</summary>
    Failed,
}
