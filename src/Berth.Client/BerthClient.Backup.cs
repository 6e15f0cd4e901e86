namespace Berth.Client;

/// <summary>The <c>/api/v1/backup</c> route: a consistent snapshot of the server's whole store.</summary>
public sealed partial class BerthClient
{
    /// <summary>
    /// Takes a backup (admin only) and writes it to <paramref name="destination"/> as it arrives; returns the server's summary
    /// of what it holds (<c>24 tables, 1830 rows</c>).
    /// </summary>
    public async Task<string> BackupAsync(Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Post, "api/v1/backup"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await body.CopyToAsync(destination, cancellationToken);
        return response.Headers.TryGetValues("Berth-Backup-Summary", out var summary) ? string.Join(", ", summary) : "";
    }
}
