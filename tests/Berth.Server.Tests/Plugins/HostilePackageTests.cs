using System.Formats.Tar;
using System.Net;
using System.Text.Json.Nodes;

namespace Berth.Server.Tests.Plugins;

/// <summary>Packages built to escape or exhaust the staging folder are refused before anything runs, with a message naming the entry.</summary>
public sealed class HostilePackageTests(PluginServerFixture fixture) : IClassFixture<PluginServerFixture>
{
    public static TheoryData<string, string> Cases => new()
    {
        { "dotdot", "has a '..' in its path" },
        { "absolute", "has an absolute path" },
        { "symlink", "links are not accepted" },
        { "fifo", "only files and folders are accepted" },
        { "many", $"more than {PluginServerFixture.MaxFiles} entries" },
        { "big", "unpacks to more than" },
        { "garbage", "not a readable .tar.gz" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Install_HostilePackage_IsRefusedWithTheReason(string kind, string reason)
    {
        using var response = await fixture.PostAsync(Package(kind));

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        var problem = JsonNode.Parse(body)!;
        problem["type"]!.GetValue<string>().ShouldBe("urn:berth:problem:invalid-plugin-package");
        problem["detail"]!.GetValue<string>().ShouldContain(reason);
        File.Exists(Path.Combine(Path.GetTempPath(), "berth-escaped")).ShouldBeFalse();
        Directory.EnumerateFileSystemEntries(Path.Combine(fixture.PluginsDirectory, ".staging")).ShouldBeEmpty("a refused package leaves nothing behind");
    }

    private static byte[] Package(string kind) => kind switch
    {
        "dotdot" => TestPlugins.PackEntries(TestPlugins.FileEntry("plugin.yaml", "x"), TestPlugins.FileEntry("../../../../../../tmp/berth-escaped", "x")),
        "absolute" => TestPlugins.PackEntries(TestPlugins.FileEntry("/tmp/berth-escaped", "x")),
        "symlink" => TestPlugins.PackEntries(TestPlugins.LinkEntry("plugin.yaml", "/etc/passwd")),
        "fifo" => TestPlugins.PackEntries(new PaxTarEntry(TarEntryType.Fifo, "pipe")),
        "many" => TestPlugins.PackEntries([.. Enumerable.Range(0, PluginServerFixture.MaxFiles + 1).Select(i => TestPlugins.FileEntry($"f{i}", "x"))]),
        "big" => TestPlugins.PackEntries(TestPlugins.FileEntry("big", new string('a', (int)PluginServerFixture.MaxUnpackedBytes + 1))),
        _ => "not a tarball at all"u8.ToArray(),
    };
}
