namespace Berth.Core.Security;

/// <summary>The key that encrypts secrets is missing, malformed or unsafe; the message names the file or variable to fix.</summary>
public sealed class SecretKeyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SecretKeyException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
