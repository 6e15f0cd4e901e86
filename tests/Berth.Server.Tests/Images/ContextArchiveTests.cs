using System.Formats.Tar;
using System.IO.Compression;
using Berth.Server.Images;

namespace Berth.Server.Tests.Images;

/// <summary>An uploaded build context is unpacked inside its folder only: no way out by name, by link or by device.</summary>
public sealed class ContextArchiveTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-archive-test-").FullName;

    private string Target => Path.Combine(_root, "context");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Unpack_FilesFoldersAndLinks_AreWrittenWithTheExecutableBit()
    {
        using var archive = Archive(
            new PaxTarEntry(TarEntryType.Directory, "./app/"),
            File("app/run.sh", "#!/bin/sh\n", executable: true),
            File("Dockerfile", "FROM scratch\n"),
            new PaxTarEntry(TarEntryType.SymbolicLink, "app/latest") { LinkName = "run.sh" });

        await Unpack(archive);

        System.IO.File.ReadAllText(Path.Combine(Target, "Dockerfile")).ShouldBe("FROM scratch\n");
        (System.IO.File.GetUnixFileMode(Path.Combine(Target, "app", "run.sh")) & UnixFileMode.OtherExecute).ShouldNotBe((UnixFileMode)0);
        new FileInfo(Path.Combine(Target, "app", "latest")).LinkTarget.ShouldBe("run.sh");
    }

    [Theory]
    [InlineData("../escape.txt", "'..' segment")]
    [InlineData("a/../../escape.txt", "'..' segment")]
    [InlineData("/etc/escape.txt", "not a relative path")]
    [InlineData("a\\b.txt", "not a relative path")]
    public async Task Unpack_NameLeadingOutside_IsRefusedAndNothingIsWrittenThere(string name, string expected)
    {
        using var archive = Archive(File(name, "x"));

        var error = await Should.ThrowAsync<InvalidDataException>(() => Unpack(archive));

        error.Message.ShouldContain(expected);
        System.IO.File.Exists(Path.Combine(_root, "escape.txt")).ShouldBeFalse();
    }

    [Fact]
    public async Task Unpack_FileUnderALinkToOutside_IsRefused()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_root, "outside")).FullName;
        using var archive = Archive(new PaxTarEntry(TarEntryType.SymbolicLink, "out") { LinkName = outside }, File("out/planted.txt", "x"));

        var error = await Should.ThrowAsync<InvalidDataException>(() => Unpack(archive));

        error.Message.ShouldContain("symbolic link");
        System.IO.File.Exists(Path.Combine(outside, "planted.txt")).ShouldBeFalse();
    }

    [Fact]
    public async Task Unpack_DeviceEntry_IsRefused()
    {
        using var archive = Archive(new PaxTarEntry(TarEntryType.CharacterDevice, "null") { DeviceMajor = 1, DeviceMinor = 3 });

        (await Should.ThrowAsync<InvalidDataException>(() => Unpack(archive))).Message.ShouldContain("only folders, files and symbolic links");
    }

    [Fact]
    public async Task Unpack_NotGzip_IsAnInvalidUpload()
    {
        using var notGzip = new MemoryStream("plain text"u8.ToArray());

        await Should.ThrowAsync<InvalidDataException>(() => Unpack(notGzip));
    }

    private async Task Unpack(Stream archive)
    {
        Directory.CreateDirectory(Target);
        await ContextArchive.UnpackAsync(archive, Target, Berth.Testing.TestTimeouts.Token());
    }

    private static PaxTarEntry File(string name, string content, bool executable = false) =>
        new(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
            Mode = executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100,
        };

    private static MemoryStream Archive(params TarEntry[] entries)
    {
        var stream = new MemoryStream();
        using (var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                tar.WriteEntry(entry);
            }
        }

        stream.Position = 0;
        return stream;
    }
}
