using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Berth.Core.Security;

/// <summary>The 256-bit AES key that encrypts secrets, with a short id stored beside each value so a key change is recognised.</summary>
public sealed class SecretKey
{
    /// <summary>Key length in bytes: 32 (AES-256).</summary>
    public const int Length = 32;

    private SecretKey(byte[] material)
    {
        Material = material;
        Id = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(material));
    }

    /// <summary>The first four bytes of the key's SHA-256, stored with every value; names the key without revealing it.</summary>
    public uint Id { get; }

    internal byte[] Material { get; }

    /// <summary>A new random key.</summary>
    public static SecretKey Generate() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>A key from exactly <see cref="Length"/> bytes.</summary>
    public static SecretKey FromBytes(ReadOnlySpan<byte> material) =>
        material.Length == Length
            ? new SecretKey(material.ToArray())
            : throw new ArgumentException($"A secrets key is {Length} bytes; got {material.Length}.", nameof(material));

    /// <summary>The key as base64 text, the form of the key file and of <c>BERTH_SECRETS_KEY</c>.</summary>
    public string ToBase64() => Convert.ToBase64String(Material);

    /// <summary>The id as eight hex digits, for messages.</summary>
    public static string FormatId(uint id) => id.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
}
