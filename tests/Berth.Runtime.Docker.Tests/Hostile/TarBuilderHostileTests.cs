using System.Formats.Tar;
using Berth.Runtime.Docker.Engine;
using Berth.Testing;

namespace Berth.Runtime.Docker.Tests.Hostile;

public sealed class TarBuilderHostileTests
{
    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../etc/passwd")]
    [InlineData("a/..")]
    [InlineData("..\\..\\etc\\passwd")]
    [InlineData("/")]
    [InlineData("")]
    [InlineData("a\0b")]
    public void AddFile_NameEscapingTheRoot_Throws(string name)
    {
        var ex = Should.Throw<ArgumentException>(() => new TarBuilder().AddFile(name, "x"));

        ex.ParamName.ShouldBe("path");
    }

    [Theory]
    [InlineData("../up")]
    [InlineData("x/../../up")]
    public void AddDirectoryAndSymlink_NameEscapingTheRoot_Throw(string name)
    {
        Should.Throw<ArgumentException>(() => new TarBuilder().AddDirectory(name));
        Should.Throw<ArgumentException>(() => new TarBuilder().AddSymlink(name, "target"));
    }

    [Fact]
    public async Task WriteToAsync_AbsoluteAndDottedNames_AreWrittenRelativeToTheRoot()
    {
        using var tar = await new TarBuilder().AddFile("/etc/hostname", "h").AddFile("./a/./b.txt", "b").AddDirectory("//d//").ToStreamAsync(TestTimeouts.Token());

        var names = new List<string>();
        var reader = new TarReader(tar);
        await using (reader)
        {
            while (await reader.GetNextEntryAsync(copyData: false, TestTimeouts.Token()) is { } entry)
            {
                names.Add(entry.Name);
            }
        }

        names.ShouldBe(["etc/hostname", "a/b.txt", "d/"]);
    }

    [Fact]
    public void AddFile_NameWithDotsInsideASegment_IsAllowed()
    {
        Should.NotThrow(() => new TarBuilder().AddFile("..hidden/file..txt", "ok"));
    }
}
