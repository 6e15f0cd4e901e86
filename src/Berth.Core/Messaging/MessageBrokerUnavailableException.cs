namespace Berth.Core.Messaging;

/// <summary>
/// The broker could not be reached (or did not confirm) within its bounded wait: nothing is known to be committed, and the
/// caller may try again. The embedded store never throws it; RabbitMQ does while the server is down or restarting.
/// </summary>
public sealed class MessageBrokerUnavailableException : Exception
{
    /// <summary>Creates the exception with a message that says which broker and what was waited for.</summary>
    public MessageBrokerUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
