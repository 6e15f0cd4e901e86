namespace Berth.Runtime.Docker.Tests.Hostile;

/// <summary>
/// A build context next to a directory outside it holding a canary file, with links from the context to the outside:
/// a file link by absolute path, a file link through '..', a directory link, a link to /etc/passwd and a dangling link.
/// </summary>
internal sealed class HostileTree : IDisposable
{
    public HostileTree()
    {
        Directory.CreateDirectory(Context);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(CanaryPath, Canary);
        File.WriteAllText(Path.Combine(Context, "Dockerfile"), "FROM scratch\n");
        File.WriteAllText(Path.Combine(Context, "inside.txt"), "inside\n");
        Directory.CreateDirectory(Path.Combine(Context, "sub"));
        File.WriteAllText(Path.Combine(Context, "sub", "nested.txt"), "nested\n");
        File.CreateSymbolicLink(Path.Combine(Context, "abs-link"), CanaryPath);
        File.CreateSymbolicLink(Path.Combine(Context, "sub", "dotdot-link"), "../../outside/canary.txt");
        Directory.CreateSymbolicLink(Path.Combine(Context, "dir-link"), Outside);
        Directory.CreateSymbolicLink(Path.Combine(Context, "parent-link"), "..");
        File.CreateSymbolicLink(Path.Combine(Context, "passwd"), "/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(Context, "zero"), "/dev/zero");
        File.CreateSymbolicLink(Path.Combine(Context, "dangling"), "/nonexistent/berth/nothing");
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("berth-hostile-").FullName;

    public string Context => Path.Combine(Root, "context");

    public string Outside => Path.Combine(Root, "outside");

    public string CanaryPath => Path.Combine(Outside, "canary.txt");

    /// <summary>Content of the file outside the context; must never reach a tar or an image.</summary>
    public string Canary { get; } = $"canary-{Guid.NewGuid():N}";

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
