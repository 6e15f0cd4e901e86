using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Testing;

namespace Berth.Cli.Tests.Plugins;

/// <summary>Real command lines against a real server: the text-analysis test plugin from a folder, a git tag and a tarball.</summary>
[Collection(ServerGroup.Name)]
public sealed class PluginCommandTests(ServerFixture server) : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _id = $"ta-{Guid.NewGuid():N}"[..15];

    public void Dispose() => _directory.Dispose();

    private CliHarness Harness()
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path };
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        return harness;
    }

    /// <summary>A copy of tests/plugins/text-analysis as this test's id at <paramref name="version"/>, in <paramref name="folder"/> under the temp directory.</summary>
    private string CopyPlugin(string folder, string version, string? breaks = null)
    {
        var source = Path.Combine(Repository.Root, "tests", "plugins", "text-analysis");
        var target = Path.Combine(_directory.Path, folder);
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(source, "server.py"), Path.Combine(target, "server.py"));
        var yaml = File.ReadAllText(Path.Combine(source, "plugin.yaml"))
            .Replace("name: text-analysis", $"name: {_id}", StringComparison.Ordinal)
            .Replace("version: 1.0.0", $"version: {version}", StringComparison.Ordinal);
        if (breaks is not null)
        {
            yaml = yaml.Replace("    args: [\"server.py\"]\n", $"    args: [\"server.py\"]\n    env:\n      TEXT_ANALYSIS_BREAK: {breaks}\n", StringComparison.Ordinal);
        }

        File.WriteAllText(Path.Combine(target, "plugin.yaml"), yaml);
        return target;
    }

    [Fact]
    public async Task Install_Folder_IsListedDescribedAndRemoved()
    {
        CopyPlugin("text-analysis", "1.0.0");

        var install = await Harness().RunAsync("plugins", "install", "text-analysis");
        install.ExitCode.ShouldBe(ExitCodes.Ok, install.ToString());
        install.Out.ShouldContain($"plugin/{_id}@1.0.0 installed (sha256:");
        install.Out.ShouldContain("execute[0]");

        var list = await Harness().RunAsync("plugins", "ls");
        list.Out.ShouldContain(_id);
        list.Out.ShouldContain("count-words");

        var describe = await Harness().RunAsync("plugins", "describe", _id);
        describe.ExitCode.ShouldBe(ExitCodes.Ok, describe.ToString());
        describe.Out.ShouldContain("dir text-analysis");
        describe.Out.ShouldContain("POST /execute");

        var remove = await Harness().RunAsync("plugins", "rm", _id, "--yes");
        remove.ExitCode.ShouldBe(ExitCodes.Ok, remove.ToString());
        remove.Out.ShouldContain($"plugin/{_id}@1.0.0 removed");
        (await Harness().RunAsync("plugins", "describe", _id)).ExitCode.ShouldBe(ExitCodes.NotFound);
    }

    [Fact]
    public async Task Install_GitTagAndTarball_LiveSideBySide()
    {
        var repository = CopyPlugin("repo", "1.0.0");
        await GitAsync(repository, "init", "--quiet");
        await GitAsync(repository, "add", ".");
        await GitAsync(repository, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "v1");
        await GitAsync(repository, "tag", "v1");
        File.WriteAllText(Path.Combine(repository, "plugin.yaml"), "not committed, not sent");
        var tarball = Path.Combine(_directory.Path, "v2.tar.gz");
        await using (var file = File.Create(tarball))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            await TarFile.CreateFromDirectoryAsync(CopyPlugin("v2", "2.0.0"), gzip, includeBaseDirectory: true);
        }

        try
        {
            var git = await Harness().RunAsync("plugins", "install", "repo#v1");
            git.ExitCode.ShouldBe(ExitCodes.Ok, git.ToString());
            var packed = await Harness().RunAsync("plugins", "install", "v2.tar.gz");
            packed.ExitCode.ShouldBe(ExitCodes.Ok, packed.ToString());

            var describe = await Harness().RunAsync("plugins", "describe", _id, "-o", "json");
            var detail = JsonSerializer.Deserialize<PluginDetail>(describe.Out, BerthJson.Options)!;
            detail.Versions.Select(v => (v.Plugin.Version, v.Plugin.Source)).ShouldBe([("2.0.0", "tarball v2.tar.gz"), ("1.0.0", "git repo#v1")]);
            var list = await Harness().RunAsync("plugins", "ls");
            list.Out.ShouldContain("2.0.0, 1.0.0");
        }
        finally
        {
            await Harness().RunAsync("plugins", "rm", _id, "--yes");
        }
    }

    [Fact]
    public async Task Check_BrokenPlugin_ExitsInvalidNamingTheCheck()
    {
        CopyPlugin("broken", "1.0.0", breaks: "metrics");

        var check = await Harness().RunAsync("plugins", "check", "broken");
        var install = await Harness().RunAsync("plugins", "install", "broken");

        check.ExitCode.ShouldBe(ExitCodes.Invalid, check.ToString());
        check.Out.ShouldContain("the check failed at 'metrics'");
        install.ExitCode.ShouldBe(ExitCodes.Invalid, install.ToString());
        install.Err.ShouldContain("failed the contract check 'metrics'");
        (await Harness().RunAsync("plugins", "describe", _id)).ExitCode.ShouldBe(ExitCodes.NotFound, "nothing is installed when a check fails");
    }

    private static async Task GitAsync(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var git = Process.Start(start)!;
        var errors = git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync(TestTimeouts.Token());
        git.ExitCode.ShouldBe(0, await errors);
    }
}
