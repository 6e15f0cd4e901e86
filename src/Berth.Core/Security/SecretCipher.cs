using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Core.Security;

/// <summary>
/// Encrypts secret values with AES-256-GCM. A stored value is
/// <c>[format 1 byte][key id 4 bytes][nonce 12][tag 16][ciphertext]</c>; the header and the secret's name are
/// authenticated data, so a value cannot be moved to another name and a changed byte is detected.
/// </summary>
public sealed class SecretCipher
{
    private const byte Format = 1;
    private const int HeaderLength = 1 + sizeof(uint);
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int Overhead = HeaderLength + NonceLength + TagLength;

    private readonly SecretKey _key;

    /// <summary>Creates a cipher over <paramref name="key"/>.</summary>
    public SecretCipher(SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
    }

    /// <summary>The id of the key this cipher uses.</summary>
    public uint KeyId => _key.Id;

    /// <summary>
    /// A 32-byte key for <paramref name="purpose"/> derived from this cipher's key (HKDF-SHA256), so other uses (keyed hashes of
    /// cache key parts) never share key material with encryption.
    /// </summary>
    public byte[] DeriveKey(string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, _key.Material, SecretKey.Length, info: Encoding.UTF8.GetBytes(purpose));
    }

    /// <summary>Encrypts <paramref name="plaintext"/> as the value of the secret <paramref name="name"/>, with a fresh random nonce.</summary>
    public byte[] Encrypt(string name, ReadOnlySpan<byte> plaintext)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var blob = new byte[Overhead + plaintext.Length];
        blob[0] = Format;
        BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(1, sizeof(uint)), _key.Id);
        var nonce = blob.AsSpan(HeaderLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key.Material, TagLength);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(Overhead), blob.AsSpan(HeaderLength + NonceLength, TagLength), AssociatedData(blob, name));
        return blob;
    }

    /// <summary>Decrypts the stored value of the secret <paramref name="name"/>; throws <see cref="SecretDecryptionException"/> rather than return anything unauthenticated.</summary>
    public byte[] Decrypt(string name, ReadOnlySpan<byte> blob)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (KeyIdOf(blob) is not { } keyId)
        {
            throw new SecretDecryptionException(name, $"secret {name} is stored in a format this server does not know; set it again with 'berth secrets set {name}'");
        }

        if (keyId != _key.Id)
        {
            throw new SecretDecryptionException(name,
                $"secret {name} was encrypted with another key (key id {SecretKey.FormatId(keyId)}; this server's key is {SecretKey.FormatId(_key.Id)}); " +
                $"restore the original {SecretKeySource.FileName} or {SecretKeySource.EnvironmentVariable}, or set it again with 'berth secrets set {name}'");
        }

        var plaintext = new byte[blob.Length - Overhead];
        try
        {
            using var aes = new AesGcm(_key.Material, TagLength);
            aes.Decrypt(blob.Slice(HeaderLength, NonceLength), blob[Overhead..], blob.Slice(HeaderLength + NonceLength, TagLength), plaintext, AssociatedData(blob, name));
            return plaintext;
        }
        catch (CryptographicException ex)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new SecretDecryptionException(name,
                $"secret {name} cannot be decrypted: its stored value was altered or belongs to another name; set it again with 'berth secrets set {name}'", ex);
        }
    }

    /// <summary>The id of the key <paramref name="blob"/> was encrypted with, from its header; null when it is not in this format.</summary>
    public static uint? KeyIdOf(ReadOnlySpan<byte> blob) =>
        blob.Length >= Overhead && blob[0] == Format ? BinaryPrimitives.ReadUInt32BigEndian(blob.Slice(1, sizeof(uint))) : null;

    private static byte[] AssociatedData(ReadOnlySpan<byte> blob, string name)
    {
        var data = new byte[HeaderLength + Encoding.UTF8.GetByteCount(name)];
        blob[..HeaderLength].CopyTo(data);
        Encoding.UTF8.GetBytes(name, data.AsSpan(HeaderLength));
        return data;
    }
}
