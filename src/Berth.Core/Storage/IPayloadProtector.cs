namespace Berth.Core.Storage;

/// <summary>Encrypts stored request and response payloads, which may hold tokens, keys and personal data, before they reach the store's file.</summary>
public interface IPayloadProtector
{
    /// <summary>The stored form of <paramref name="payload"/>, bound to <paramref name="owner"/> (a request id) so it cannot be moved to another.</summary>
    byte[] Protect(string owner, byte[] payload);

    /// <summary>The payload back; throws <see cref="System.Security.Cryptography.CryptographicException"/> when it was changed or protected for another owner or with another key.</summary>
    byte[] Unprotect(string owner, byte[] stored);
}
