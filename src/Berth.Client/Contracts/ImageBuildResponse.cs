namespace Berth.Client.Contracts;

/// <summary>An image the server built from an uploaded context through the Docker Engine API.</summary>
/// <param name="Tag">The tag the image was given.</param>
/// <param name="Id">The image id (<c>sha256:…</c>).</param>
/// <param name="Log">The last lines of the build output (at most 50).</param>
public sealed record ImageBuildResponse(string Tag, string Id, IReadOnlyList<string> Log);
