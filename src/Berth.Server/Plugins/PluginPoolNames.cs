using System.Security.Cryptography;
using System.Text;

namespace Berth.Server.Plugins;

/// <summary>
/// Names of the agents that run plugins' warm pools: <c>plugin.ID.VERSION</c>. The dots keep them apart from every name an
/// applied agent can have (a DNS label), and they are valid container, network and folder names.
/// </summary>
internal static class PluginPoolNames
{
    public const string Prefix = "plugin.";

    /// <summary>The pool agent of <paramref name="id"/>@<paramref name="version"/>; a version with characters beyond [a-z0-9-] is written with them replaced and a short hash, so two versions never share a name.</summary>
    public static string For(string id, string version)
    {
        var plain = new string([.. version.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
        return string.Equals(plain, version, StringComparison.Ordinal)
            ? $"{Prefix}{id}.{plain}"
            : $"{Prefix}{id}.{plain}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(version)))[..6]}";
    }

    /// <summary>Whether <paramref name="agentName"/> names a plugin pool rather than an applied agent.</summary>
    public static bool IsPool(string agentName) => agentName.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>
    /// Whether <paramref name="agentName"/> is the plugin registry's (a pool, or a contract check's instance) rather than an
    /// applied agent: users never reach it through the agent surfaces (proxy, logs, events, commands, MCP).
    /// </summary>
    public static bool IsPluginAgent(string agentName) =>
        IsPool(agentName) || agentName.StartsWith(Install.PluginCheckInstance.Prefix, StringComparison.Ordinal);
}
