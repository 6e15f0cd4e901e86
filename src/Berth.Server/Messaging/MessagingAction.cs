namespace Berth.Server.Messaging;

/// <summary>What a messaging route does, for <see cref="MessagingAuthorizationHandler"/>.</summary>
internal enum MessagingAction
{
    /// <summary>Publish to the topic the route names (<c>{name}</c>).</summary>
    Publish,

    /// <summary>Receive, stream, ack or nack the subscription the route names (<c>{name}</c>).</summary>
    Consume,

    /// <summary>Send mail or a request to the mailbox of the agent the route names (<c>{agent}</c>).</summary>
    Send,

    /// <summary>Read, settle or reply from the mailbox of the agent the route names (<c>{agent}</c>).</summary>
    ReadMailbox,
}
