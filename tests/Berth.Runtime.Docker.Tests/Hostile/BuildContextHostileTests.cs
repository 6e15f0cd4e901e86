using System.Formats.Tar;
using System.Text;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Runtime.Docker.Runtime;
using Berth.Testing;

namespace Berth.Runtime.Docker.Tests.Hostile;

public sealed class BuildContextHostileTests : IDisposable
{
    private readonly HostileTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Load_LinksPointingOutside_AreListedAsLinksAndNotWalked()
    {
        var context = BuildContext.Load("hostile", new BuildSpec { Context = _tree.Context });

        context.Files.ShouldBe(
            ["Dockerfile", "abs-link", "dangling", "dir-link", "inside.txt", "parent-link", "passwd", "sub/dotdot-link", "sub/nested.txt", "zero"],
            ignoreOrder: false);
        context.Links["abs-link"].ShouldBe(_tree.CanaryPath);
        context.Links["dir-link"].ShouldBe(_tree.Outside);
        context.Links["parent-link"].ShouldBe("..");
        context.Links["sub/dotdot-link"].ShouldBe("../../outside/canary.txt");
        context.Links.ContainsKey("inside.txt").ShouldBeFalse();
    }

    [Fact]
    public async Task WriteTarAsync_HostileLinks_CarryOnlyTheirTargetsAndNoOutsideContent()
    {
        var context = BuildContext.Load("hostile", new BuildSpec { Context = _tree.Context });
        using var tar = new MemoryStream();

        await context.WriteTarAsync(tar, TestTimeouts.Token());

        var bytes = tar.ToArray();
        Encoding.UTF8.GetString(bytes).ShouldNotContain(_tree.Canary);
        Encoding.UTF8.GetString(bytes).ShouldNotContain("root:x:0:0", Case.Sensitive, "the content of /etc/passwd must not be in the tar");
        var entries = await ReadEntriesAsync(new MemoryStream(bytes));
        entries.Keys.ShouldAllBe(name => !name.StartsWith('/') && !name.Split('/', StringSplitOptions.None).Contains(".."));
        entries["abs-link"].ShouldBe((TarEntryType.SymbolicLink, _tree.CanaryPath));
        entries["dir-link"].ShouldBe((TarEntryType.SymbolicLink, _tree.Outside));
        entries["passwd"].ShouldBe((TarEntryType.SymbolicLink, "/etc/passwd"));
        entries["zero"].ShouldBe((TarEntryType.SymbolicLink, "/dev/zero"));
        entries["inside.txt"].Type.ShouldBe(TarEntryType.RegularFile);
        entries.Keys.ShouldNotContain("dir-link/canary.txt");
    }

    [Fact]
    public async Task HashAsync_LinksToDevZeroAndNowhere_FinishesWithoutReadingThem()
    {
        var context = BuildContext.Load("hostile", new BuildSpec { Context = _tree.Context });

        var first = await context.HashAsync(TestTimeouts.Token(TestTimeouts.Quick)).WaitAsync(TestTimeouts.Quick);
        await File.WriteAllTextAsync(_tree.CanaryPath, "changed outside the context", TestTimeouts.Token());
        var second = await BuildContext.Load("hostile", new BuildSpec { Context = _tree.Context }).HashAsync(TestTimeouts.Token());

        second.ShouldBe(first, "a file outside the context is not part of the context, even through a link");
    }

    [Fact]
    public async Task HashAsync_LinkRetargeted_ChangesTheHash()
    {
        var before = await BuildContext.Load("hostile", new BuildSpec { Context = _tree.Context }).HashAsync(TestTimeouts.Token());
        File.Delete(Path.Combine(_tree.Context, "passwd"));
        File.CreateSymbolicLink(Path.Combine(_tree.Context, "passwd"), "/etc/shadow");

        var after = await BuildContext.Load("hostile", new BuildSpec { Context = _tree.Context }).HashAsync(TestTimeouts.Token());

        after.ShouldNotBe(before);
    }

    [Theory]
    [InlineData("../outside/Dockerfile")]
    [InlineData("sub/../../outside/Dockerfile")]
    [InlineData("/etc/passwd")]
    public void Load_DockerfileOutsideTheContext_IsAConfigError(string dockerfile)
    {
        File.WriteAllText(Path.Combine(_tree.Outside, "Dockerfile"), "FROM scratch\n");

        var ex = Should.Throw<RuntimeException>(() => BuildContext.Load("hostile", new BuildSpec { Context = _tree.Context, Dockerfile = dockerfile }));

        ex.Kind.ShouldBe(RuntimeErrorKind.Config);
        ex.Message.ShouldContain("spec.build.dockerfile");
    }

    [Fact]
    public void Load_DockerfileWithDotSegment_IsAccepted()
    {
        var context = BuildContext.Load("hostile", new BuildSpec { Context = _tree.Context, Dockerfile = "./Dockerfile" });

        context.Dockerfile.ShouldBe("Dockerfile");
    }

    [Fact]
    public void Load_DockerignoreLinkedOutside_IsAConfigError()
    {
        File.CreateSymbolicLink(Path.Combine(_tree.Context, ".dockerignore"), "/dev/zero");

        var ex = Should.Throw<RuntimeException>(() => BuildContext.Load("hostile", new BuildSpec { Context = _tree.Context }));

        ex.Kind.ShouldBe(RuntimeErrorKind.Config);
        ex.Message.ShouldContain(".dockerignore");
    }

    private static async Task<Dictionary<string, (TarEntryType Type, string Link)>> ReadEntriesAsync(Stream tar)
    {
        var entries = new Dictionary<string, (TarEntryType, string)>(StringComparer.Ordinal);
        var reader = new TarReader(tar);
        await using (reader)
        {
            while (await reader.GetNextEntryAsync(copyData: false, TestTimeouts.Token()) is { } entry)
            {
                entries[entry.Name] = (entry.EntryType, entry.LinkName);
            }
        }

        return entries;
    }
}
