namespace Berth.Core.Security;

/// <summary>A stored secret cannot be decrypted (another key, tampered data, or an unknown format); never yields garbage instead.</summary>
public sealed class SecretDecryptionException : Exception
{
    /// <summary>Creates the exception for the secret <paramref name="secretName"/>.</summary>
    public SecretDecryptionException(string secretName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        SecretName = secretName;
    }

    /// <summary>The secret that could not be decrypted.</summary>
    public string SecretName { get; }
}
