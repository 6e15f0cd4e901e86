using Berth.Core.Specs;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Runtime.Docker.Runtime;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Runtime.Docker.Tests.Hostile;

[RequiresDocker]
public sealed class HostileBuildContextEngineTests(DockerFixture docker) : IClassFixture<DockerFixture>, IDisposable
{
    private readonly HostileTree _tree = new();

    private DockerEngineClient Client => docker.Client;

    public void Dispose() => _tree.Dispose();

    [Fact]
    public async Task BuildImageAsync_ContextLinkingToHostFiles_CannotReadThemIntoTheImage()
    {
        var token = TestTimeouts.Token();
        var marker = $"built-{docker.RunLabel}";
        await File.WriteAllTextAsync(Path.Combine(_tree.Context, "Dockerfile"), $"""
            FROM {TestImages.Busybox}
            COPY . /ctx/
            RUN cat /ctx/inside.txt /ctx/abs-link /ctx/sub/dotdot-link /ctx/dir-link/canary.txt /ctx/parent-link/outside/canary.txt 2>&1; ls -la /ctx; echo {marker}
            """, token);
        var context = BuildContext.Load("hostile", new BuildSpec { Context = _tree.Context });
        using var tar = new MemoryStream();
        await context.WriteTarAsync(tar, token);
        tar.Position = 0;
        var tag = $"berth-test/hostile-{docker.RunLabel}:1";
        var lines = new List<string>();

        try
        {
            await Client.BuildImageAsync(new ImageBuildRequest { Tag = tag, Labels = docker.Labels() }, tar, new ListProgress(lines), token);

            var output = string.Join('\n', lines);
            output.ShouldContain(marker, customMessage: "the build step ran");
            output.ShouldContain("inside", customMessage: "files inside the context are copied");
            output.ShouldContain("abs-link -> " + _tree.CanaryPath, customMessage: "links are copied as links");
            output.ShouldNotContain(_tree.Canary, customMessage: "the content of a host file outside the context reached the build");
        }
        finally
        {
            await Client.RemoveImageAsync(tag, force: true, TestTimeouts.Token());
        }
    }

    private sealed class ListProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines)
            {
                lines.Add(value);
            }
        }
    }
}
