using Berth.Core.Messaging;

namespace Berth.Messaging.RabbitMq.Amqp;

/// <summary>A message as it travels in RabbitMQ: the message, the deliveries it has had so far, and why the last one failed.</summary>
internal sealed record CarriedMessage(StoredMessage Message, int Deliveries, string? LastError);
