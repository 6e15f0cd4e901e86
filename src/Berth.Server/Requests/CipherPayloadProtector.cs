using System.Security.Cryptography;
using Berth.Core.Security;
using Berth.Core.Storage;

namespace Berth.Server.Requests;

/// <summary>Request payloads encrypted with the server's secrets key (AES-256-GCM), bound to the request's id.</summary>
internal sealed class CipherPayloadProtector(SecretCipher cipher) : IPayloadProtector
{
    private const string Purpose = "request:";

    public byte[] Protect(string owner, byte[] payload) => cipher.Encrypt(Purpose + owner, payload);

    public byte[] Unprotect(string owner, byte[] stored)
    {
        try
        {
            return cipher.Decrypt(Purpose + owner, stored);
        }
        catch (SecretDecryptionException ex)
        {
            throw new CryptographicException(ex.Message, ex);
        }
    }
}
