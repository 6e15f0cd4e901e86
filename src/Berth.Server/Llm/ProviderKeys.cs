using System.Collections.Concurrent;
using System.Text;
using Berth.Core.Llm;
using Berth.Core.Security;
using Berth.Core.Specs;
using Berth.Server.Secrets;

namespace Berth.Server.Llm;

/// <summary>
/// The provider keys endpoints name as <c>${secret:NAME}</c>, decrypted when a call needs one and kept in memory for
/// <see cref="Lifetime"/>, so a rotated secret reaches the gateway within that and a busy endpoint does not decrypt per call.
/// The vault tells the log redactor each value it reads.
/// </summary>
internal sealed class ProviderKeys(SecretVault vault, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (string Key, DateTimeOffset ReadAt)> _keys = new(StringComparer.Ordinal);

    /// <summary>The key to send to <paramref name="endpoint"/>; null when it names none. Throws <see cref="ProviderKeyException"/> when it cannot be read.</summary>
    public async ValueTask<string?> ReadAsync(ModelEndpointSpec endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.ApiKey is not { } reference || SecretReference.Scan(reference).FirstOrDefault() is not { Valid: true } secret)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (_keys.TryGetValue(secret.Name, out var kept) && now - kept.ReadAt < Lifetime)
        {
            return kept.Key;
        }

        byte[]? value;
        try
        {
            value = await vault.ReadAsync(secret.Name, cancellationToken);
        }
        catch (SecretDecryptionException)
        {
            throw new ProviderKeyException($"its key, secret '{secret.Name}', cannot be decrypted with this server's key");
        }

        if (value is null)
        {
            throw new ProviderKeyException($"its key, secret '{secret.Name}', does not exist; create it with 'berth secrets set {secret.Name}'");
        }

        // A key saved from a file often ends in a newline; anything else that is not a visible character could split the header.
        var key = Encoding.UTF8.GetString(value).TrimEnd('\r', '\n');
        if (key.Length == 0 || key.Any(c => char.IsControl(c) || c > '~'))
        {
            throw new ProviderKeyException($"its key, secret '{secret.Name}', is empty or holds characters a header cannot carry; set it again as one line");
        }

        _keys[secret.Name] = (key, now);
        return key;
    }
}
