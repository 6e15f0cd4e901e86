using System.Security.Cryptography;
using System.Text;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Runtime;

public sealed partial class DockerAgentRuntime
{
    // Readable by whatever user the image runs as; the area's owner-only root keeps other host users out.
    private const UnixFileMode ContainerFileMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Writes the instance's files to the memory-backed area and returns one read-only bind mount per file. The engine API's
    /// archive upload is not used: it writes into the container's layer on disk, and cannot reach a tmpfs mount.
    /// </summary>
    private List<Mount>? MountFiles(InstanceLaunch launch)
    {
        if (launch.Files.Count == 0)
        {
            _files.Delete(launch.InstanceId);
            return null;
        }

        var named = launch.Files.ToDictionary(f => HostFileName(f.Key), f => f.Value, StringComparer.Ordinal);
        var folder = _files.Write(launch.InstanceId, named, ContainerFileMode);
        return launch.Files.Keys
            .Select(target => new Mount { Type = "bind", Source = Path.Combine(folder, HostFileName(target)), Target = target, ReadOnly = true })
            .ToList();
    }

    // A stable name per target, so a restarted container's mounts find their files again.
    private static string HostFileName(string target) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(target)))[..16];
}
