using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Runtime;

public sealed partial class DockerAgentRuntime
{
    private const int TagHashLength = 16;

    /// <summary>
    /// The image an agent's containers run: <see cref="AgentSpec.Image"/> when present locally, or the tag
    /// <c>berth-build/{agent}:{context hash}</c>, built only when no image has that tag yet.
    /// </summary>
    internal async Task<string> ResolveImageAsync(AgentSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Image is { } image)
        {
            await _client.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
            return image;
        }

        if (spec.Build is not { } build)
        {
            throw new RuntimeException(
                $"agent '{spec.Name}' has neither an image nor a build: the docker runtime only runs container agents",
                RuntimeErrorKind.Config);
        }

        var key = $"{spec.Name}\0{build.Context}\0{build.Dockerfile}";
        if (_builtImages.TryGetValue(key, out var known) &&
            await _client.TryInspectImageAsync(known, cancellationToken).ConfigureAwait(false) is not null)
        {
            return known;
        }

        var tag = await BuildAsync(spec.Name, build, cancellationToken).ConfigureAwait(false);
        _builtImages[key] = tag;
        return tag;
    }

    private async Task<string> BuildAsync(string agentName, BuildSpec build, CancellationToken cancellationToken)
    {
        var context = BuildContext.Load(agentName, build);
        var hash = await context.HashAsync(cancellationToken).ConfigureAwait(false);
        var tag = $"berth-build/{agentName}:{hash[..TagHashLength]}";
        if (await _client.TryInspectImageAsync(tag, cancellationToken).ConfigureAwait(false) is not null)
        {
            DockerRuntimeLog.BuildReused(_logger, agentName, tag);
            return tag;
        }

        DockerRuntimeLog.Building(_logger, agentName, tag, build.Context);
        var labels = new Dictionary<string, string> { [DockerLabels.Managed] = "true", [DockerLabels.Agent] = agentName };
        await EngineBuildAsync(context, tag, labels, line => DockerRuntimeLog.BuildOutput(_logger, tag, line), cancellationToken).ConfigureAwait(false);
        return tag;
    }

    /// <summary>
    /// Builds <paramref name="directory"/> (a Dockerfile context: .dockerignore applied, links sent as links, see
    /// <see cref="BuildContext"/>) into <paramref name="tag"/> through the Engine API, reporting each output line to
    /// <paramref name="output"/>; returns the image id. This is what <c>berth build</c> runs on the server.
    /// </summary>
    internal async Task<string> BuildDirectoryAsync(string directory, string dockerfile, string tag, Action<string> output, CancellationToken cancellationToken)
    {
        var context = BuildContext.Load(tag, new BuildSpec { Context = directory, Dockerfile = dockerfile });
        return await EngineBuildAsync(context, tag, new Dictionary<string, string>(), output, cancellationToken).ConfigureAwait(false);
    }

    // The one Engine API build: the context's tar in a delete-on-close temporary file, streamed to the engine.
    private async Task<string> EngineBuildAsync(
        BuildContext context, string tag, Dictionary<string, string> labels, Action<string> output, CancellationToken cancellationToken)
    {
        var tarPath = Path.GetTempFileName();
        var tar = new FileStream(tarPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (tar.ConfigureAwait(false))
        {
            await context.WriteTarAsync(tar, cancellationToken).ConfigureAwait(false);
            tar.Position = 0;
            var request = new ImageBuildRequest { Tag = tag, Dockerfile = context.Dockerfile, Labels = labels };
            return await _client.BuildImageAsync(request, tar, new SynchronousProgress(output), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
