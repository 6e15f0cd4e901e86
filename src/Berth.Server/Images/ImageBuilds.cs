using Berth.Client.Contracts;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Runtime.Docker.Runtime;
using Berth.Server.Runtimes;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Images;

/// <summary>
/// <c>berth build</c> on the server: the uploaded context is unpacked into a scratch folder (<see cref="ContextArchive"/>) and
/// built by the docker runtime's own Engine API build (the code that builds agents' <c>build:</c> specs, so .dockerignore and
/// link handling are the same), then the folder is deleted. A server that runs the process runtime alone has no engine to
/// build with and says so.
/// </summary>
internal sealed partial class ImageBuilds(IServiceProvider services, ILogger<ImageBuilds> logger)
{
    /// <summary>Lines of build output kept for the answer: 50.</summary>
    public const int LogLinesKept = 50;

    /// <summary>The docker runtime (the swarm runtime builds with it too), or null when the server does not run one (the process runtime only).</summary>
    public DockerAgentRuntime? Docker => services.GetService(typeof(DockerAgentRuntime)) as DockerAgentRuntime;

    /// <summary>Builds; throws <see cref="InvalidDataException"/> for a bad upload and <see cref="RuntimeException"/> for a failed build.</summary>
    public async Task<ImageBuildResponse> BuildAsync(DockerAgentRuntime docker, Stream gzipTar, string tag, string dockerfile, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("berth-build-");
        try
        {
            var context = Path.Combine(scratch.FullName, "context");
            Directory.CreateDirectory(context);
            await ContextArchive.UnpackAsync(gzipTar, context, cancellationToken);
            if (!File.Exists(Path.Combine(context, dockerfile)))
            {
                throw new InvalidDataException($"the context has no {dockerfile}; add it to the folder or name another with -f");
            }

            var log = new Queue<string>();
            LogBuilding(tag);
            var id = await docker.BuildDirectoryAsync(context, dockerfile, tag, line => Keep(log, line), cancellationToken);
            LogBuilt(tag, id);
            return new ImageBuildResponse(tag, id, [.. log]);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static void Keep(Queue<string> log, string line)
    {
        log.Enqueue(line);
        if (log.Count > LogLinesKept)
        {
            log.Dequeue();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Building image {Tag} from an uploaded context")]
    private partial void LogBuilding(string tag);

    [LoggerMessage(Level = LogLevel.Information, Message = "Built image {Tag} ({ImageId})")]
    private partial void LogBuilt(string tag, string imageId);
}
