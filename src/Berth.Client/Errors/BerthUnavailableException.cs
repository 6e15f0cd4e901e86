namespace Berth.Client.Errors;

/// <summary>The Berth server could not be reached at all (nothing listens at <see cref="Server"/>, or the name does not resolve).</summary>
public sealed class BerthUnavailableException : Exception
{
    /// <summary>Creates the exception for the address that could not be reached.</summary>
    public BerthUnavailableException(Uri server, Exception? innerException = null)
        : base($"cannot reach Berth at {server.GetLeftPart(UriPartial.Authority)}: is 'berth server' running there?", innerException) =>
        Server = server;

    /// <summary>The server address that was tried.</summary>
    public Uri Server { get; }
}
