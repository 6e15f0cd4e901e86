using Berth.Core.Security;

namespace Berth.Server.Hosting;

/// <summary>
/// A stable id for this server's data directory. Drivers label what they create with it, so two
/// Berth servers sharing one Docker engine never adopt or remove each other's containers.
/// </summary>
internal static class ServerIdentity
{
    private const string FileName = "server-id";

    /// <summary>Reads <c>server-id</c> in <paramref name="dataDir"/>, creating it the first time; called at start, never while services are registered.</summary>
    public static ServerId LoadOrCreate(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            return new ServerId(existing);
        }

        OwnerOnly.CreateDirectory(dataDir);
        var id = Guid.NewGuid().ToString("N")[..16];
        using (var stream = new FileStream(path, OwnerOnly.Write(FileMode.Create)))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(id);
        }

        return new ServerId(id);
    }
}
