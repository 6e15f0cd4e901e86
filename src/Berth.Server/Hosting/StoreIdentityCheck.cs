using System.Text;
using Berth.Core.Security;
using Berth.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Hosting;

/// <summary>
/// Reads the store's identity at start, writing it when this is the first server on the store, and proves that this
/// server's secrets key is the one the store is written with. A server given another key (a second server sharing the
/// database without the first one's <c>BERTH_SECRETS_KEY</c>, or a lost key file) is refused, rather than writing secrets
/// and request payloads no other server can read; <c>Berth:Secrets:ReplaceLostKey</c> accepts a new key for a store whose
/// key is lost. <see cref="StoreId"/> is what the servers sharing the store agree on (the owner of docker agents).
/// </summary>
internal sealed partial class StoreIdentityCheck(
    IStoreIdentityStore store, SecretCipher cipher, IOptions<BerthOptions> options, ILogger<StoreIdentityCheck> logger)
{
    private const string Name = "berth:key-check";

    private static readonly byte[] Plaintext = Encoding.UTF8.GetBytes("the secrets key of this Berth store");

    private string? _storeId;

    /// <summary>The store's id; read at start, before anything that needs it.</summary>
    public string StoreId => _storeId ?? throw new InvalidOperationException("the store's identity is read at start, before the runtimes are created");

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var proposed = new StoreIdentity(Guid.NewGuid().ToString("N")[..16], cipher.Encrypt(Name, Plaintext));
        var stored = await store.GetOrAddAsync(proposed, cancellationToken);
        if (!Opens(stored.KeyCheck))
        {
            await AcceptOrRefuseAsync(stored.KeyCheck, cancellationToken);
        }

        _storeId = stored.Id;
    }

    private async Task AcceptOrRefuseAsync(byte[] keyCheck, CancellationToken cancellationToken)
    {
        var storedKey = StoredKeyId(keyCheck);
        if (!options.Value.Secrets.ReplaceLostKey)
        {
            throw new BerthServerStartException(
                $"This server's secrets key (key id {SecretKey.FormatId(cipher.KeyId)}) is not the key the store was written with (key id {storedKey}). " +
                $"Every server sharing a store needs the same key: set {SecretKeySource.EnvironmentVariable} to the key of the server that created the store " +
                $"(the contents of its {SecretKeySource.FileName}). If that key is lost, start once with --Berth:Secrets:ReplaceLostKey=true: " +
                "values written with the old key stay unreadable and must be set again.");
        }

        await store.ReplaceKeyCheckAsync(cipher.Encrypt(Name, Plaintext), cancellationToken);
        LogKeyReplaced(storedKey, SecretKey.FormatId(cipher.KeyId));
    }

    private bool Opens(byte[] keyCheck)
    {
        try
        {
            return cipher.Decrypt(Name, keyCheck).AsSpan().SequenceEqual(Plaintext);
        }
        catch (SecretDecryptionException)
        {
            return false;
        }
    }

    private static string StoredKeyId(byte[] keyCheck) => SecretCipher.KeyIdOf(keyCheck) is { } id ? SecretKey.FormatId(id) : "unknown";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store's secrets key (key id {OldKey}) was replaced by this server's key (key id {NewKey}) as Berth:Secrets:ReplaceLostKey asked; values written with the old key cannot be read and must be set again")]
    private partial void LogKeyReplaced(string oldKey, string newKey);
}
