using System.Text;
using Berth.Core.Security;
using Berth.Core.Storage;
using Berth.Server.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Secrets;

/// <summary>
/// Proves at start that this server's secrets key is the one the store is written with. The first server to start stores
/// a value encrypted with its key; a server given another key (a second server sharing the database without the first
/// one's <c>BERTH_SECRETS_KEY</c>, or a lost key file) is refused, rather than writing secrets and request payloads no
/// other server can read. <c>Berth:Secrets:ReplaceLostKey</c> accepts a new key for a store whose key is lost.
/// </summary>
internal sealed partial class SecretKeyCheck(ISecretStore store, SecretCipher cipher, IOptions<BerthOptions> options, ILogger<SecretKeyCheck> logger)
{
    private const string Name = "berth:key-check";

    private static readonly byte[] Plaintext = Encoding.UTF8.GetBytes("the secrets key of this Berth store");

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var stored = await store.GetOrAddKeyCheckAsync(cipher.Encrypt(Name, Plaintext), cancellationToken);
        if (Opens(stored))
        {
            return;
        }

        var storedKey = StoredKeyId(stored);
        if (options.Value.Secrets.ReplaceLostKey)
        {
            await store.ReplaceKeyCheckAsync(cipher.Encrypt(Name, Plaintext), cancellationToken);
            LogKeyReplaced(storedKey, SecretKey.FormatId(cipher.KeyId));
            return;
        }

        throw new BerthServerStartException(
            $"This server's secrets key (key id {SecretKey.FormatId(cipher.KeyId)}) is not the key the store was written with (key id {storedKey}). " +
            $"Every server sharing a store needs the same key: set {SecretKeySource.EnvironmentVariable} to the key of the server that created the store " +
            $"(the contents of its {SecretKeySource.FileName}). If that key is lost, start once with --Berth:Secrets:ReplaceLostKey=true: " +
            "values written with the old key stay unreadable and must be set again.");
    }

    private bool Opens(byte[] stored)
    {
        try
        {
            return cipher.Decrypt(Name, stored).AsSpan().SequenceEqual(Plaintext);
        }
        catch (SecretDecryptionException)
        {
            return false;
        }
    }

    // The header of a sealed value names its key (SecretCipher's format: one format byte, then the key id).
    private static string StoredKeyId(byte[] stored) =>
        stored.Length >= 5 ? SecretKey.FormatId(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(stored.AsSpan(1, 4))) : "unknown";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store's secrets key (key id {OldKey}) was replaced by this server's key (key id {NewKey}) as Berth:Secrets:ReplaceLostKey asked; values written with the old key cannot be read and must be set again")]
    private partial void LogKeyReplaced(string oldKey, string newKey);
}
