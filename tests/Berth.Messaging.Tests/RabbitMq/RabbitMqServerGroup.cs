namespace Berth.Messaging.Tests.RabbitMq;

/// <summary>
/// The tests that use the shared RabbitMQ server run one at a time: one of them stops and starts the server's app, which
/// would fail whatever else was using it meanwhile.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqServerGroup
{
    public const string Name = "RabbitMq";
}
