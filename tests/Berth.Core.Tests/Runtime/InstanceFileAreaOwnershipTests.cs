using Berth.Core.Runtime;

namespace Berth.Core.Tests.Runtime;

/// <summary>
/// A local user who creates the files area (or a link by its name) before the server does must not receive the secrets
/// the server writes there: the server refuses any area, or folder in it, that is not its own real directory.
/// </summary>
public sealed class InstanceFileAreaOwnershipTests : IDisposable
{
    private const uint Stranger = 4242;
    private readonly string _root = $"/dev/shm/berth-owner-test-{Guid.NewGuid():N}";
    private readonly string _elsewhere = $"/dev/shm/berth-owner-elsewhere-{Guid.NewGuid():N}";
    private readonly Dictionary<string, byte[]> _secret = new() { ["token"] = "s3cret"u8.ToArray() };

    [Fact]
    public void Write_RootPreCreatedByAnotherUser_IsRefusedAndNothingIsWritten()
    {
        Directory.CreateDirectory(_root);
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_111_111);
        UnixFiles.ChangeOwner(_root, Stranger, Stranger);

        var refused = Should.Throw<RuntimeException>(() => new InstanceFileArea(_root).Write("a-0", _secret, UnixFileMode.UserRead));

        refused.Kind.ShouldBe(RuntimeErrorKind.Config);
        refused.Message.ShouldContain($"{_root} belongs to uid {Stranger}");
        Directory.EnumerateFileSystemEntries(_root).ShouldBeEmpty();
    }

    [Fact]
    public void Write_RootIsALinkToAnotherUsersDirectory_IsRefusedAndNothingIsWritten()
    {
        Directory.CreateDirectory(_elsewhere);
        UnixFiles.ChangeOwner(_elsewhere, Stranger, Stranger);
        File.CreateSymbolicLink(_root, _elsewhere);

        var refused = Should.Throw<RuntimeException>(() => new InstanceFileArea(_root).Write("a-0", _secret, UnixFileMode.UserRead));

        refused.Message.ShouldContain($"{_root} is a symbolic link, not a directory");
        Directory.EnumerateFileSystemEntries(_elsewhere).ShouldBeEmpty();
    }

    [Fact]
    public void Write_InstanceFolderPreCreatedByAnotherUser_IsRefused()
    {
        Directory.CreateDirectory(_root);
        var folder = Directory.CreateDirectory(Path.Combine(_root, "a-0")).FullName;
        UnixFiles.ChangeOwner(folder, Stranger, Stranger);

        Should.Throw<RuntimeException>(() => new InstanceFileArea(_root).Write("a-0", _secret, UnixFileMode.UserRead))
            .Message.ShouldContain($"{folder} belongs to uid {Stranger}");
        File.Exists(Path.Combine(folder, "token")).ShouldBeFalse();
    }

    public void Dispose()
    {
        foreach (var path in new[] { _root, _elsewhere })
        {
            if (UnixFiles.Status(path) is { Type: UnixFileType.SymbolicLink })
            {
                File.Delete(path);
            }
            else if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }
}
