using System.Net.Http.Headers;
using Berth.Client.Contracts;

namespace Berth.Client;

/// <summary>The <c>/api/v1/images</c> route: builds an image on the server through the Docker Engine API.</summary>
public sealed partial class BerthClient
{
    /// <summary>
    /// Uploads <paramref name="contextTarGz"/> (a gzip-compressed tar of the build context) and builds it into <paramref name="tag"/>
    /// with <paramref name="dockerfile"/> (a path inside the context; default <c>Dockerfile</c>). A failed build is a 422
    /// <see cref="Errors.BerthApiException"/> with the failing step's output; a server without the docker runtime answers 409.
    /// </summary>
    public Task<ImageBuildResponse> BuildImageAsync(Stream contextTarGz, string tag, string? dockerfile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contextTarGz);
        var content = new StreamContent(contextTarGz);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        var query = $"tag={Uri.EscapeDataString(tag)}" + (dockerfile is null ? "" : $"&dockerfile={Uri.EscapeDataString(dockerfile)}");
        return SendAsync<ImageBuildResponse>(HttpMethod.Post, $"api/v1/images/build?{query}", content, cancellationToken);
    }
}
