using Berth.Core.Security;
using Berth.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Secrets;

/// <summary>Secrets as the server uses them: encrypted on the way into the store, decrypted on the way out, and known to the redactor.</summary>
internal sealed partial class SecretVault(ISecretStore store, SecretCipher cipher, SecretRedactor redactor, ILogger<SecretVault> logger)
{
    /// <summary>The largest value accepted: 64 KiB.</summary>
    public const int MaxValueBytes = 64 * 1024;

    /// <summary>Loads every value into the redactor; run once at start, before the first reconcile pass.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var values = new List<KeyValuePair<string, byte[]>>();
        foreach (var secret in await store.ListAsync(cancellationToken))
        {
            try
            {
                if (await ReadAsync(secret.Name, cancellationToken) is { } value)
                {
                    values.Add(KeyValuePair.Create(secret.Name, value));
                }
            }
            catch (SecretDecryptionException ex)
            {
                // Not fatal: only agents that use this secret are affected, and their start says why.
                LogUnreadable(ex.SecretName, ex.Message);
            }
        }

        redactor.Reset(values);
    }

    public async Task<SecretSetResult> SetAsync(string name, byte[] value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        redactor.Remember(name, value);
        var result = await store.SetAsync(name, cipher.Encrypt(name, value), cancellationToken);
        LogSet(name, result.Created ? "created" : "replaced");
        return result;
    }

    public Task<IReadOnlyList<SecretInfo>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) =>
        await store.GetAsync(name, cancellationToken) is not null;

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteAsync(name, cancellationToken);
        if (deleted)
        {
            LogDeleted(name);
        }

        return deleted;
    }

    /// <summary>The plaintext of the secret, or null when it does not exist; throws <see cref="SecretDecryptionException"/> when it cannot be decrypted.</summary>
    public async Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(name, cancellationToken) is not { } blob)
        {
            return null;
        }

        var value = cipher.Decrypt(name, blob);
        redactor.Remember(name, value);
        return value;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Secret {SecretName} {Change}")]
    private partial void LogSet(string secretName, string change);

    [LoggerMessage(Level = LogLevel.Information, Message = "Secret {SecretName} deleted")]
    private partial void LogDeleted(string secretName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Secret {SecretName} cannot be read: {Reason}")]
    private partial void LogUnreadable(string secretName, string reason);
}
