using Berth.Core.Specs;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Runtime;
using Berth.Runtime.Process;
using Berth.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Server.Agents;

/// <summary>
/// Checks an applied agent's host-path volumes on this host, links followed (<see cref="HostVolumeCheck"/>), so a socket,
/// device or system tree is refused with a 400 at apply and not only when the container is created. The driver checks
/// again then, since the filesystem can change in between.
/// </summary>
internal sealed class HostVolumeGuard(
    IOptions<BerthOptions> options, IOptions<DockerRuntimeOptions> docker, IOptions<ProcessRuntimeOptions> process, DockerEngineClient? engine = null)
{
    public IReadOnlyList<SpecError> Check(AgentSpec spec)
    {
        if (!spec.Volumes.Any(v => v.IsHostPath))
        {
            return [];
        }

        var protectedPaths = HostVolumeCheck.ProtectedPaths(
            engine?.SocketPath ?? DockerEngineClient.DefaultSocketPath,
            options.Value.DataDir,
            docker.Value.FilesDirectory ?? options.Value.FilesDirectory,
            process.Value.AgentsDirectory);
        var errors = new List<SpecError>();
        for (var i = 0; i < spec.Volumes.Count; i++)
        {
            if (spec.Volumes[i].IsHostPath && HostVolumeCheck.Check(spec.Volumes[i].Source, protectedPaths, out _) is { } reason)
            {
                errors.Add(new SpecError($"spec.volumes[{i}].source", reason));
            }
        }

        return errors;
    }
}
