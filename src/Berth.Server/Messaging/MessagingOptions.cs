namespace Berth.Server.Messaging;

/// <summary>Settings of agent messaging, bound from <c>Berth:Messaging</c>.</summary>
public sealed record MessagingOptions
{
    /// <summary>The configuration section: <c>Berth:Messaging</c>.</summary>
    public const string Section = "Berth:Messaging";

    /// <summary>Where messages live: <c>embedded</c> (the SQLite store, the default) or <c>rabbitmq</c> (<c>Berth:Messaging:RabbitMq:Url</c>).</summary>
    public string Backend { get; set; } = "embedded";

    /// <summary>The longest a long-poll receive may wait (<c>?wait=</c>). Default 60s.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a push delivery may take before it counts as failed. Default 30s.</summary>
    public TimeSpan PushTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a request may wait for its reply (<c>?timeout=</c>). Default 5m.</summary>
    public TimeSpan MaxReplyWait { get; set; } = TimeSpan.FromMinutes(5);
}
