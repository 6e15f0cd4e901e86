using System.Net.Http.Headers;
using Berth.Client.Contracts;

namespace Berth.Client;

/// <summary>The <c>/api/v1/secrets</c> routes. Values go to the server only; no answer ever carries one back.</summary>
public sealed partial class BerthClient
{
    private const string SecretsPath = "api/v1/secrets";

    /// <summary>Creates or replaces the secret <paramref name="name"/> (admin only; at most 64 KiB). The answer holds its name and dates.</summary>
    public async Task<SecretView> SetSecretAsync(string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(value);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await SendAsync<SecretView>(HttpMethod.Put, SecretPath(name), content, cancellationToken);
    }

    /// <summary>Every secret's name and dates, ordered by name (operator or admin); never values.</summary>
    public async Task<IReadOnlyList<SecretView>> ListSecretsAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<SecretView>>(HttpMethod.Get, SecretsPath, null, cancellationToken);

    /// <summary>Deletes the secret (admin only); a 404 <see cref="Errors.BerthApiException"/> when there is none. The answer names agents that still reference it.</summary>
    public Task<SecretRemoveResponse> RemoveSecretAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<SecretRemoveResponse>(HttpMethod.Delete, SecretPath(name), null, cancellationToken);

    private static string SecretPath(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return $"{SecretsPath}/{Escape(name)}";
    }
}
