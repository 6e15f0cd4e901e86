using Berth.Testing;

namespace Berth.Server.Tests.Messaging;

/// <summary>The messaging API with <c>Berth:Messaging:Backend=rabbitmq</c>: the same answers as the embedded broker.</summary>
[RequiresRabbitMq]
public sealed class RabbitMqMessagingApiTests(RabbitMqMessagingServer fixture) : MessagingApiTests<RabbitMqMessagingServer>(fixture);
