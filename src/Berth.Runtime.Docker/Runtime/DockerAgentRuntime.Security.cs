using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Runtime;

public sealed partial class DockerAgentRuntime
{
    /// <summary>Where a read-only agent may still write temporary files.</summary>
    internal const string WritableTmp = "/tmp";

    // nodev/nosuid: a scratch area must not become a way to device nodes or setuid binaries
    private const string TmpfsOptions = "rw,nosuid,nodev,mode=1777";

    /// <summary>
    /// The host settings that confine every container: all capabilities dropped and only the spec's added back,
    /// no new privileges, never privileged, a read-only root with a tmpfs at /tmp when asked, and only the bind
    /// mounts the spec names, each checked after following its symbolic links.
    /// </summary>
    private HostConfig Harden(HostConfig host, AgentSpec spec)
    {
        var security = spec.Security;
        var readOnly = security?.ReadOnlyRootFilesystem == true;
        var tmpMounted = spec.Volumes.Any(v => v.Target.TrimEnd('/') == WritableTmp);
        return host with
        {
            Binds = ResolveBinds(spec),
            Mounts = null,
            CapDrop = ["ALL"],
            CapAdd = CapabilitiesToAdd(spec),
            SecurityOpt = ["no-new-privileges"],
            Privileged = false,
            ReadonlyRootfs = readOnly,
            Tmpfs = readOnly && !tmpMounted ? new Dictionary<string, string> { [WritableTmp] = TmpfsOptions } : null,
        };
    }

    /// <summary>Fails with a Config error when the spec asks for something the driver will not run.</summary>
    internal void CheckConfinement(AgentSpec spec)
    {
        ResolveBinds(spec);
        CapabilitiesToAdd(spec);
    }

    internal static List<string> CapabilitiesToAdd(AgentSpec spec)
    {
        var names = new List<string>();
        foreach (var written in spec.Security?.Capabilities?.Add ?? [])
        {
            var name = LinuxCapabilities.Normalize(written);
            if (name == "ALL" || !LinuxCapabilities.IsKnown(name))
            {
                throw new RuntimeException(
                    $"agent '{spec.Name}' asks for capability '{written}', which the docker driver does not grant; list only named Linux capabilities (not ALL) in security.capabilities.add",
                    RuntimeErrorKind.Config);
            }

            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>Bind specifications (<c>source:target[:ro]</c>) of <see cref="ResolveVolumes"/>.</summary>
    private List<string> ResolveBinds(AgentSpec spec) =>
        ResolveVolumes(spec).Select(m => $"{m.Source}:{m.Target}{(m.ReadOnly ? ":ro" : "")}").ToList();

    /// <summary>
    /// The spec's volumes, each host path checked on this host (<see cref="HostVolumeCheck"/>) just before the container is
    /// created and replaced by its real path, so a link changed later cannot redirect the mount.
    /// </summary>
    internal List<Mount> ResolveVolumes(AgentSpec spec)
    {
        var protectedPaths = HostVolumeCheck.ProtectedPaths(_client.SocketPath, _options.DataDirectory, FilesDirectory, _options.AgentsDirectory);
        var mounts = new List<Mount>(spec.Volumes.Count);
        for (var i = 0; i < spec.Volumes.Count; i++)
        {
            var volume = spec.Volumes[i];
            var source = volume.Source;
            if (volume.IsHostPath)
            {
                if (HostVolumeCheck.Check(source, protectedPaths, out var real) is { } reason)
                {
                    throw new RuntimeException($"agent '{spec.Name}' spec.volumes[{i}].source: {reason}; change the volume and apply the spec again", RuntimeErrorKind.Config);
                }

                source = real;
            }

            mounts.Add(new Mount { Type = volume.IsHostPath ? "bind" : "volume", Source = source, Target = volume.Target, ReadOnly = volume.ReadOnly });
        }

        return mounts;
    }
}
