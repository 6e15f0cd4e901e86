using System.Text;
using Berth.Core.Runtime;

namespace Berth.Core.Tests.Runtime;

public sealed class InstanceFileAreaTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _root = $"/dev/shm/berth-test-{Guid.NewGuid():N}";

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Write_NestedNames_OwnerOnlyFoldersAndFilesWithTheModeAsked()
    {
        var area = new InstanceFileArea(_root);

        var folder = area.Write("echo-1a2b3c", Files(("api", "k1"), ("conf/app.json", "{}")), UnixFileMode.UserRead);

        folder.ShouldBe(Path.Combine(_root, "echo-1a2b3c"));
        File.ReadAllText(Path.Combine(folder, "api")).ShouldBe("k1");
        File.ReadAllText(Path.Combine(folder, "conf", "app.json")).ShouldBe("{}");
        File.GetUnixFileMode(Path.Combine(folder, "api")).ShouldBe(UnixFileMode.UserRead);
        // the root lets agents' users pass through to their own folder, but list nothing
        File.GetUnixFileMode(_root).ShouldBe(OwnerOnly | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        File.GetUnixFileMode(folder).ShouldBe(OwnerOnly);
        File.GetUnixFileMode(Path.Combine(folder, "conf")).ShouldBe(OwnerOnly);
    }

    [Fact]
    public void Write_Again_ReplacesTheContentInTheSameFile()
    {
        var area = new InstanceFileArea(_root);
        var folder = area.Write("echo-1", Files(("api", "a much longer first value")), UnixFileMode.UserRead);
        using var earlier = new FileStream(Path.Combine(folder, "api"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);

        area.Write("echo-1", Files(("api", "second")), UnixFileMode.UserRead);

        // a handle opened before sees the new bytes: same inode, as a container's bind mount needs
        using var reader = new StreamReader(earlier);
        reader.ReadToEnd().ShouldBe("second");
    }

    [Fact]
    public void Write_RootOnADisk_IsRefusedNamingTheSetting()
    {
        var onDisk = Path.Combine(AppContext.BaseDirectory, $"files-{Guid.NewGuid():N}");
        try
        {
            var error = Should.Throw<RuntimeException>(() => new InstanceFileArea(onDisk).Write("echo-1", Files(("api", "k")), UnixFileMode.UserRead));

            error.Kind.ShouldBe(RuntimeErrorKind.Config);
            error.Message.ShouldContain("not in memory, so secret files would reach a disk; set Berth:FilesDirectory");
            Directory.EnumerateFiles(onDisk, "*", SearchOption.AllDirectories).ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(onDisk, recursive: true);
        }
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("/etc/passwd")]
    public void Write_NameLeavingTheFolder_Throws(string name)
    {
        Should.Throw<ArgumentException>(() => new InstanceFileArea(_root).Write("echo-1", Files((name, "x")), UnixFileMode.UserRead));

        File.Exists(Path.Combine(_root, "outside")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    public void FolderOf_UnsafeInstanceId_Throws(string instanceId) =>
        Should.Throw<ArgumentException>(() => new InstanceFileArea(_root).FolderOf(instanceId));

    [Fact]
    public void Delete_RemovesTheInstanceFolderOnly()
    {
        var area = new InstanceFileArea(_root);
        area.Write("echo-1", Files(("api", "k")), UnixFileMode.UserRead);
        var other = area.Write("echo-2", Files(("api", "k")), UnixFileMode.UserRead);

        area.Delete("echo-1");
        area.Delete("echo-1");

        Directory.Exists(area.FolderOf("echo-1")).ShouldBeFalse();
        File.Exists(Path.Combine(other, "api")).ShouldBeTrue();
    }

    private static Dictionary<string, byte[]> Files(params (string Name, string Content)[] files) =>
        files.ToDictionary(f => f.Name, f => Encoding.UTF8.GetBytes(f.Content), StringComparer.Ordinal);
}
