using System.Diagnostics;
using Berth.Runtime.Docker.Engine;

namespace Berth.Bench.Workflows;

/// <summary>
/// Times the engine round trip every step's preparation makes, cached or not: resolving the image to its id
/// (<c>GET /images/{name}/json</c>, which the cache key hashes), with the same client the server uses.
/// </summary>
internal static class ImageInspectProbe
{
    private const int WarmUp = 10;
    private const int Calls = 100;

    /// <summary>Median milliseconds of one inspect.</summary>
    public static async Task<double> MedianMsAsync(string image, CancellationToken cancellationToken)
    {
        using var client = new DockerEngineClient();
        var times = new List<double>(Calls);
        for (var i = 0; i < WarmUp + Calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            _ = await client.TryInspectImageAsync(image, cancellationToken) ?? throw new BenchException($"image {image} is not on this engine");
            if (i >= WarmUp)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return Figures.Median(times);
    }
}
