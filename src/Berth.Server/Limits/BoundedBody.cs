using Microsoft.AspNetCore.Http;

namespace Berth.Server.Limits;

/// <summary>A request body read whole into memory, for routes that must hold it (to check it, or to send it again).</summary>
internal static class BoundedBody
{
    /// <summary>The body, or null when it is larger than <paramref name="max"/> bytes; never reads more than one chunk past the limit.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int max, CancellationToken cancellationToken)
    {
        if (request.ContentLength > max)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
