using Berth.Core.Security;
using Berth.Server.Tests.Support;

namespace Berth.Server.Tests.Cluster;

/// <summary>Data directories for further servers of a cluster, which share the first server's secrets key as an operator gives every server one key.</summary>
internal static class ClusterDataDirs
{
    /// <summary>A new data directory holding <paramref name="server"/>'s secrets key.</summary>
    public static string WithKeyOf(TestServer server)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"berth-srv-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = Path.Combine(dataDir, SecretKeySource.FileName);
        File.Copy(Path.Combine(server.DataDir, SecretKeySource.FileName), key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return dataDir;
    }
}
