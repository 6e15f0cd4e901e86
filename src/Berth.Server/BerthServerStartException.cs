namespace Berth.Server;

/// <summary>The server could not start, for a reason the operator can fix; the message says what to do.</summary>
public sealed class BerthServerStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BerthServerStartException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
