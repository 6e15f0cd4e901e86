using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Engine;

public sealed partial class DockerEngineClient
{
    private const int BuildOutputLinesKept = 40;

    /// <summary>Inspects an image; throws a Config error with a build/import hint when it is not present locally.</summary>
    public Task<ImageInspect> InspectImageAsync(string image, CancellationToken cancellationToken) =>
        GetJsonAsync<ImageInspect>($"images/{EngineQuery.Segment(image)}/json", $"inspect image '{image}'", m => ImageNotFound(image, m), cancellationToken);

    /// <summary>Inspects an image; null when it is not present locally.</summary>
    public async Task<ImageInspect?> TryInspectImageAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            return await InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Lists images that carry all <paramref name="labels"/> (<c>key</c> or <c>key=value</c>) and match <paramref name="reference"/> when given.</summary>
    public Task<IReadOnlyList<ImageSummary>> ListImagesAsync(IReadOnlyList<string>? labels, string? reference, CancellationToken cancellationToken)
    {
        var filters = new Dictionary<string, IReadOnlyList<string>>
        {
            ["label"] = labels ?? [],
            ["reference"] = reference is null ? [] : [reference],
        };
        var path = new EngineQuery("images/json").AddFilters(filters).ToString();
        return GetJsonAsync<IReadOnlyList<ImageSummary>>(path, "list images", null, cancellationToken);
    }

    /// <summary>Imports a root file system tarball as an image (<c>docker import</c>). Returns the image id.</summary>
    public async Task<string> ImportImageAsync(ImageImportRequest request, Stream tarball, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new EngineQuery("images/create").Add("fromSrc", "-").Add("repo", request.Repository).Add("tag", request.Tag).Add("message", request.Message);
        foreach (var change in request.Changes)
        {
            query.Add("changes", change);
        }

        var reference = $"{request.Repository}:{request.Tag}";
        using var content = TarContent(tarball);
        using var response = await SendAsync(HttpMethod.Post, query.ToString(), content, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, $"import image '{reference}'", null, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        string? id = null;
        await foreach (var message in JsonLines.ReadAsync<ProgressMessage>(stream, cancellationToken).ConfigureAwait(false))
        {
            if (message.Error is not null)
            {
                throw new DockerEngineException(
                    $"Docker engine could not import image '{reference}': {message.ErrorDetail?.Message ?? message.Error}; check the tarball is a root file system",
                    RuntimeErrorKind.Config,
                    engineMessage: message.Error);
            }

            id = message.Status ?? id;
        }

        return id ?? throw new DockerEngineException($"Docker engine imported '{reference}' without reporting an image id", RuntimeErrorKind.Transient);
    }

    /// <summary>
    /// Builds an image from a tar build context with the classic builder. Returns the image id. A failing step
    /// throws a Config error quoting the step and its output; <paramref name="progress"/> receives every output line.
    /// </summary>
    public async Task<string> BuildImageAsync(ImageBuildRequest request, Stream context, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new EngineQuery("build")
            .Add("t", request.Tag)
            .Add("dockerfile", request.Dockerfile)
            .Add("version", "1")
            .Add("rm", true)
            .Add("forcerm", true)
            .Add("nocache", request.NoCache);
        if (request.Labels.Count > 0)
        {
            query.Add("labels", JsonSerializer.Serialize(request.Labels, DockerJson.Options));
        }

        if (request.BuildArgs.Count > 0)
        {
            query.Add("buildargs", JsonSerializer.Serialize(request.BuildArgs, DockerJson.Options));
        }

        using var content = TarContent(context);
        using var response = await SendAsync(HttpMethod.Post, query.ToString(), content, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, $"build image '{request.Tag}'", null, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);

        var stepOutput = new Queue<string>();
        string? imageId = null;
        await foreach (var message in JsonLines.ReadAsync<ProgressMessage>(stream, cancellationToken).ConfigureAwait(false))
        {
            if (message.Error is not null)
            {
                throw BuildFailed(request.Tag, message.ErrorDetail?.Message ?? message.Error, stepOutput);
            }

            if (message.Aux is { ValueKind: JsonValueKind.Object } aux && aux.TryGetProperty("ID", out var idElement))
            {
                imageId = idElement.GetString();
            }

            foreach (var line in (message.Stream ?? message.Status ?? "").Split('\n'))
            {
                var text = line.TrimEnd('\r');
                if (text.Length == 0)
                {
                    continue;
                }

                progress?.Report(text);
                if (text.StartsWith("Step ", StringComparison.Ordinal))
                {
                    stepOutput.Clear();
                }

                stepOutput.Enqueue(text);
                if (stepOutput.Count > BuildOutputLinesKept)
                {
                    stepOutput.Dequeue();
                }
            }
        }

        return imageId ?? throw new DockerEngineException(
            $"Docker engine finished building '{request.Tag}' without reporting an image id; the build output ended with: {string.Join(" | ", stepOutput)}",
            RuntimeErrorKind.Transient);
    }

    /// <summary>Removes an image. Returns false when it did not exist.</summary>
    public async Task<bool> RemoveImageAsync(string image, bool force, CancellationToken cancellationToken)
    {
        var path = new EngineQuery($"images/{EngineQuery.Segment(image)}").Add("force", force).ToString();
        var status = await SendExpectingNoBodyAsync(HttpMethod.Delete, path, null, $"remove image '{image}'", null, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        return status != HttpStatusCode.NotFound;
    }

    private static StreamContent TarContent(Stream tar)
    {
        var content = new StreamContent(tar);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        return content;
    }

    private static DockerEngineException ImageNotFound(string image, string engineMessage) => new(
        $"image '{image}' not found locally: build it (docker build -t {image} .) or import it; Berth pulls from no registry",
        RuntimeErrorKind.Config,
        HttpStatusCode.NotFound,
        engineMessage);

    private static DockerEngineException BuildFailed(string tag, string error, IEnumerable<string> stepOutput)
    {
        var message = new StringBuilder()
            .Append("Docker build of '").Append(tag).Append("' failed: ").Append(error.Trim())
            .AppendLine()
            .AppendLine("Output of the failing step:");
        foreach (var line in stepOutput)
        {
            message.Append("  ").AppendLine(line);
        }

        message.Append("Fix the Dockerfile or the build context and apply again.");
        return new DockerEngineException(message.ToString(), RuntimeErrorKind.Config, engineMessage: error);
    }
}
