using Berth.Core.Plugins;
using Berth.Core.Specs;

namespace Berth.Server.Capabilities;

/// <summary>
/// One provider's declaration of one capability: an applied agent, or an installed plugin version. Two providers declaring
/// different versions of a capability are two of these, each with its own version and schemas.
/// </summary>
/// <param name="Kind"><c>agent</c> or <c>plugin</c>.</param>
/// <param name="Name">The agent's name, or the plugin's <c>ID@VERSION</c>.</param>
/// <param name="Capability">The declaration as written: name, and the version, description and schemas when given.</param>
/// <param name="Plugin">The installed plugin version; null for an agent.</param>
internal sealed record CapabilityProvider(string Kind, string Name, DeclaredCapability Capability, PluginRecord? Plugin = null)
{
    public const string AgentKind = "agent";

    public const string PluginKind = "plugin";

    /// <summary>
    /// The provider's id, the key of its circuit breaker and what <c>Berth-Provider</c> and a step's <c>provider</c> say:
    /// <c>agent:NAME</c> or <c>plugin:ID@VERSION</c>.
    /// </summary>
    public string Id => $"{Kind}:{Name}";

    public static CapabilityProvider ForAgent(string agent, DeclaredCapability capability) => new(AgentKind, agent, capability);

    public static CapabilityProvider ForPlugin(PluginRecord plugin, DeclaredCapability capability) =>
        new(PluginKind, $"{plugin.Id}@{plugin.Version}", capability, plugin);
}
