using System.Net.Sockets;
using RabbitMQ.Client.Exceptions;

namespace Berth.Messaging.RabbitMq.Amqp;

/// <summary>Which exceptions mean RabbitMQ (or the way to it) failed, as opposed to a bug in the caller.</summary>
internal static class AmqpFailures
{
    /// <summary>
    /// True for a lost or refused connection, a closed channel (RabbitMQ closes one on any channel error), a protocol
    /// operation that timed out, and a nack or return of a publish.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception is
        OperationInterruptedException or BrokerUnreachableException or ConnectFailureException or ChannelAllocationException
        or PublishException or IOException or SocketException or TimeoutException or ObjectDisposedException;

    /// <summary>RabbitMQ's reply code when it closed a channel or connection, or null.</summary>
    public static ushort? ReplyCode(Exception exception) =>
        exception is OperationInterruptedException { ShutdownReason: { } reason } ? reason.ReplyCode : null;
}
