using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Runtime.Docker.Tests.Engine;

[RequiresDocker]
public sealed class EngineClientTests(DockerFixture docker) : IClassFixture<DockerFixture>
{
    private DockerEngineClient Client => docker.Client;

    [Fact]
    public async Task PingAsync_RunningEngine_NegotiatesVersionWithinSupportedRange()
    {
        var server = await Client.PingAsync(TestTimeouts.Token());
        var version = await Client.GetVersionAsync(TestTimeouts.Token());

        server.ShouldBeGreaterThanOrEqualTo(new Version(1, 41));
        Client.ApiVersion.ShouldNotBeNull();
        Client.ApiVersion.ShouldBeLessThanOrEqualTo(new Version(1, 45));
        Client.ApiVersion.ShouldBeLessThanOrEqualTo(server);
        version.ApiVersion.ShouldBe(server.ToString());
        version.Version.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task PingAsync_NoSocket_ThrowsUnavailableSayingHowToStartDocker()
    {
        using var client = new DockerEngineClient("/tmp/berth-no-such-docker.sock");

        var ex = await Should.ThrowAsync<DockerEngineException>(() => client.PingAsync(TestTimeouts.Token()));

        ex.Kind.ShouldBe(RuntimeErrorKind.Unavailable);
        ex.Message.ShouldContain("unix:///tmp/berth-no-such-docker.sock");
        ex.Message.ShouldContain("start it");
    }

    [Fact]
    public async Task ImportImageAsync_BusyboxRoot_CanBeInspectedListedAndRemoved()
    {
        var repository = $"berth-test/import-{docker.RunLabel}";
        var root = new TarBuilder().AddDirectory("bin").AddFile("bin/busybox", await File.ReadAllBytesAsync("/bin/busybox"), (UnixFileMode)0b111_101_101).AddSymlink("bin/sh", "busybox");
        using var tar = await root.ToStreamAsync(TestTimeouts.Token());

        var id = await Client.ImportImageAsync(
            new ImageImportRequest { Repository = repository, Tag = "1", Changes = ["CMD [\"/bin/sh\"]", $"LABEL berth.test={docker.RunLabel}", "EXPOSE 8000"] },
            tar,
            TestTimeouts.Token());
        try
        {
            var inspect = await Client.InspectImageAsync($"{repository}:1", TestTimeouts.Token());
            var byLabel = await Client.ListImagesAsync([$"berth.test={docker.RunLabel}"], null, TestTimeouts.Token());
            var byReference = await Client.ListImagesAsync(null, $"{repository}:1", TestTimeouts.Token());

            inspect.Id.ShouldBe(id);
            inspect.Config!.Cmd.ShouldBe(["/bin/sh"]);
            inspect.Config.ExposedPorts!.Keys.ShouldContain("8000/tcp");
            byLabel.Select(i => i.Id).ShouldBe([id]);
            byReference.Select(i => i.Id).ShouldBe([id]);
        }
        finally
        {
            (await Client.RemoveImageAsync($"{repository}:1", force: true, TestTimeouts.Token())).ShouldBeTrue();
        }

        (await Client.TryInspectImageAsync($"{repository}:1", TestTimeouts.Token())).ShouldBeNull();
    }

    [Fact]
    public async Task InspectImageAsync_MissingImage_ThrowsConfigWithBuildHint()
    {
        var image = $"berth-test/missing-{docker.RunLabel}:1";

        var ex = await Should.ThrowAsync<DockerEngineException>(() => Client.InspectImageAsync(image, TestTimeouts.Token()));

        ex.Kind.ShouldBe(RuntimeErrorKind.Config);
        ex.IsNotFound.ShouldBeTrue();
        ex.Message.ShouldContain($"image '{image}' not found locally");
        ex.Message.ShouldContain($"docker build -t {image} .");
    }

    [Fact]
    public async Task BuildImageAsync_FailingStep_ThrowsWithTheStepsOutput()
    {
        var context = new TarBuilder().AddFile("Dockerfile", $"FROM {TestImages.Busybox}\nRUN echo step-output-{docker.RunLabel} && echo to-stderr >&2 && exit 3\n");
        using var tar = await context.ToStreamAsync(TestTimeouts.Token());
        var lines = new List<string>();

        var ex = await Should.ThrowAsync<DockerEngineException>(() => Client.BuildImageAsync(
            new ImageBuildRequest { Tag = $"berth-test/broken-{docker.RunLabel}:1" }, tar, new InlineProgress(lines), TestTimeouts.Token()));

        ex.Kind.ShouldBe(RuntimeErrorKind.Config);
        ex.Message.ShouldContain($"step-output-{docker.RunLabel}");
        ex.Message.ShouldContain("returned a non-zero code: 3");
        lines.ShouldContain(l => l.StartsWith("Step 2/2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BuildImageAsync_ValidContext_TagsImageWithLabels()
    {
        var tag = $"berth-test/built-{docker.RunLabel}:1";
        var context = new TarBuilder().AddFile("Dockerfile", $"FROM {TestImages.Busybox}\nCOPY hello.txt /hello.txt\n").AddFile("hello.txt", "hi\n");
        using var tar = await context.ToStreamAsync(TestTimeouts.Token());
        try
        {
            var id = await Client.BuildImageAsync(
                new ImageBuildRequest { Tag = tag, Labels = new Dictionary<string, string> { ["berth.test"] = docker.RunLabel } }, tar, null, TestTimeouts.Token());

            var inspect = await Client.InspectImageAsync(tag, TestTimeouts.Token());
            inspect.Id.ShouldBe(id);
            inspect.Config!.Labels!["berth.test"].ShouldBe(docker.RunLabel);
        }
        finally
        {
            await Client.RemoveImageAsync(tag, force: true, TestTimeouts.Token());
        }
    }

    private sealed class InlineProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
