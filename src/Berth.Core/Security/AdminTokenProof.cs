using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Core.Security;

/// <summary>
/// How a server proves, on the anonymous <c>/healthz</c>, that it is the one that wrote a local <c>admin.token</c>, before
/// the CLI sends it that token. The client sends a fresh random <see cref="ChallengeHeader"/>; the server answers
/// <see cref="ProofHeader"/> = HMAC-SHA256 over the challenge and the port the request arrived on, keyed by a hash of the
/// admin token. Only a holder of the token can answer, the answer is useless for another challenge, and binding the port
/// stops a program listening on the CLI's port from relaying the challenge to the real server on another one.
/// </summary>
public static class AdminTokenProof
{
    /// <summary>Request header carrying the client's challenge: 32 to 128 characters of base64url.</summary>
    public const string ChallengeHeader = "Berth-Proof-Challenge";

    /// <summary>Response header carrying the proof, lower-case hex.</summary>
    public const string ProofHeader = "Berth-Server-Proof";

    private const string KeyLabel = "berth/admin-token-proof/v1\n";

    /// <summary>The key a server derives from its admin token (never the token itself, so the proof reveals nothing usable).</summary>
    public static byte[] DeriveKey(string adminToken)
    {
        ArgumentNullException.ThrowIfNull(adminToken);
        return SHA256.HashData(Encoding.UTF8.GetBytes(KeyLabel + adminToken.Trim()));
    }

    /// <summary>A fresh random challenge (256 bits, base64url).</summary>
    public static string NewChallenge() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>True when <paramref name="challenge"/> is one a server answers: 32 to 128 base64url characters.</summary>
    public static bool IsValidChallenge(string? challenge) =>
        challenge is { Length: >= 32 and <= 128 } && challenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The proof for <paramref name="challenge"/> received on local <paramref name="port"/>.</summary>
    public static string Compute(byte[] key, string challenge, int port)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(challenge);
        var message = Encoding.UTF8.GetBytes(challenge + "\n" + port.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, message));
    }

    /// <summary>Whether <paramref name="proof"/> answers <paramref name="challenge"/> on <paramref name="port"/> for <paramref name="adminToken"/> (constant time).</summary>
    public static bool Verify(string adminToken, string challenge, int port, string? proof)
    {
        if (proof is null)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(DeriveKey(adminToken), challenge, port));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(proof.Trim()));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
