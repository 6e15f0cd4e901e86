using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Server.Security;

/// <summary>
/// The token format: <c>berth_</c> and the base64url form of 32 random bytes (256 bits). The store keeps only the
/// SHA-256 hex of the whole text; a fast hash is enough because the input is random, not a password.
/// </summary>
internal static class BearerTokens
{
    public const string Prefix = "berth_";

    private const int RandomBytes = 32;

    private static readonly SearchValues<char> Base64UrlCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    // base64url without padding: 32 bytes → 43 characters
    public static int Length { get; } = Prefix.Length + Base64Url.GetEncodedLength(RandomBytes);

    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string NewId() => RandomNumberGenerator.GetHexString(12, lowercase: true);

    public static bool IsWellFormed(string? token) =>
        token is not null && token.Length == Length && token.StartsWith(Prefix, StringComparison.Ordinal) &&
        token.AsSpan(Prefix.Length).IndexOfAnyExcept(Base64UrlCharacters) < 0;
}
