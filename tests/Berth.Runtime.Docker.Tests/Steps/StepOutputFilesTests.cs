using System.Formats.Tar;
using System.Text;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Runtime.Docker.Steps;
using Berth.Testing;

namespace Berth.Runtime.Docker.Tests.Steps;

public sealed class StepOutputFilesTests
{
    [Fact]
    public async Task AddAsync_HostileArchive_KeepsOnlyRegularFilesBelowTheOutput()
    {
        using var archive = await ArchiveAsync(
            File("out/ok.txt", "ok"),
            File("../evil.txt", "evil"),
            File("/etc/evil.txt", "evil"),
            File("out/../../evil.txt", "evil"),
            File("out/./dot.txt", "evil"),
            File("other/x.txt", "evil"),
            Link(TarEntryType.SymbolicLink, "out/passwd", "/etc/passwd"),
            Link(TarEntryType.SymbolicLink, "out/up", "../.."),
            Link(TarEntryType.HardLink, "out/hard-outside", "../etc/passwd"),
            Link(TarEntryType.HardLink, "out/hard-ok", "out/ok.txt"));
        var files = new StepOutputFiles(1024);

        await files.AddAsync("/work/out", archive, TestTimeouts.Token(TestTimeouts.Quick));

        files.Files.Keys.Order(StringComparer.Ordinal).ShouldBe(["/work/out/hard-ok", "/work/out/ok.txt"]);
        files.Files.Values.ShouldAllBe(content => Encoding.UTF8.GetString(content) == "ok");
        files.Skipped.ShouldBe(8);
    }

    [Fact]
    public async Task AddAsync_OutputAtTheRoot_NamesFilesFromTheRoot()
    {
        using var archive = await ArchiveAsync(File("result.txt", "r"));
        var files = new StepOutputFiles(1024);

        await files.AddAsync("/result.txt", archive, TestTimeouts.Token(TestTimeouts.Quick));

        files.Files.Keys.ShouldBe(["/result.txt"]);
    }

    [Fact]
    public async Task AddAsync_MoreThanTheLimit_ThrowsUserNamingTheLimit()
    {
        using var small = await ArchiveAsync(File("out/a", new string('a', 600)), File("out/b", new string('b', 600)));
        using var big = await ArchiveAsync(File("out/a", new string('a', 600 * 1024)), File("out/b", new string('b', 600 * 1024)));

        var inBytes = await Should.ThrowAsync<StepRunException>(() => new StepOutputFiles(1000).AddAsync("/out", small, TestTimeouts.Token(TestTimeouts.Quick)));
        var inMebibytes = await Should.ThrowAsync<StepRunException>(() => new StepOutputFiles(1024 * 1024).AddAsync("/out", big, TestTimeouts.Token(TestTimeouts.Quick)));

        inBytes.Class.ShouldBe(ErrorClass.User);
        inBytes.Message.ShouldContain("limit of 1000 bytes per step");
        inMebibytes.Message.ShouldContain("limit of 1 MiB per step");
    }

    [Fact]
    public async Task AddAsync_JustUnderTheLimit_KeepsEverything()
    {
        using var archive = await ArchiveAsync(File("out/a", new string('a', 500)), File("out/b", new string('b', 500)));
        var files = new StepOutputFiles(1000);

        await files.AddAsync("/out", archive, TestTimeouts.Token(TestTimeouts.Quick));

        files.Files.Values.Sum(f => f.Length).ShouldBe(1000);
    }

    [Theory]
    [InlineData("/out/dir/", "/out/dir")]
    [InlineData("//out//x", "/out/x")]
    [InlineData("/x", "/x")]
    public void Normalize_AbsolutePath_DropsRedundantSlashes(string output, string expected) =>
        StepOutputFiles.Normalize(output).ShouldBe(expected);

    private static PaxTarEntry File(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };

    private static PaxTarEntry Link(TarEntryType type, string name, string target) => new(type, name) { LinkName = target };

    private static async Task<MemoryStream> ArchiveAsync(params PaxTarEntry[] entries)
    {
        var stream = new MemoryStream();
        await using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                await writer.WriteEntryAsync(entry);
            }
        }

        stream.Position = 0;
        return stream;
    }
}
