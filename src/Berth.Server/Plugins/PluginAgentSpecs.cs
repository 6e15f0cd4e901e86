using Berth.Core.Plugins;
using Berth.Core.Specs;

namespace Berth.Server.Plugins;

/// <summary>
/// The agent that runs an installed plugin version's instances: the manifest's image, build or process, run with an
/// agent's hardening, probed at the plugin's health path. The proxy's persistence is off: calls go through the plugin
/// invoker, which keeps its own record.
/// </summary>
internal static class PluginAgentSpecs
{
    public static AgentSpec For(PluginRecord plugin, int replicas)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var spec = plugin.Spec;
        var name = PluginPoolNames.For(plugin.Id, plugin.Version);
        var persistence = new PersistenceSpec { Enabled = false };
        if (spec.Runtime == PluginRuntime.Process && spec.Process is { } process)
        {
            return new AgentSpec
            {
                Name = name,
                Process = new ProcessSpec { Command = process.Command, Args = process.Args, WorkingDir = plugin.Directory },
                Env = process.Env,
                Health = process.Health,
                Replicas = replicas,
                Persistence = persistence,
            };
        }

        var container = spec.Container ?? throw new InvalidOperationException($"plugin {plugin.Reference} has neither a container nor a process section");
        return new AgentSpec
        {
            Name = name,
            Image = container.Image,
            Build = container.Build,
            Port = container.Port,
            Env = container.Env,
            Resources = container.Resources,
            Health = container.Health,
            Replicas = replicas,
            Persistence = persistence,
        };
    }
}
