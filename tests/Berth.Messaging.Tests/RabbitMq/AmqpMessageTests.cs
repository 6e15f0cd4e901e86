using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Messaging;
using Berth.Messaging.RabbitMq.Amqp;
using RabbitMQ.Client;

namespace Berth.Messaging.Tests.RabbitMq;

public sealed class AmqpMessageTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    [Fact]
    public void Read_WhatPropertiesCarry_GivesBackTheMessageCountAndError()
    {
        var message = new StoredMessage
        {
            Id = "m-1",
            Topic = "agent/bob",
            Key = new string('k', MessageLimits.MaxTextLength),
            Attributes = new Dictionary<string, string> { ["kind"] = "order", ["x-berth-deliveries"] = "99" },
            Body = new JsonObject { ["n"] = 1 },
            PublishedAt = Now,
            Publisher = "agent:alice",
            DedupeId = "d-1",
            CorrelationId = new string('c', MessageLimits.MaxTextLength) + "é",
            ReplyTo = "agent/alice",
        };

        var properties = AmqpMessage.Properties(message, 3, "bad\ninput");
        var read = AmqpMessage.Read(properties, AmqpMessage.Body(message.Body), "unused", () => "new", Now.AddHours(1));

        read.Deliveries.ShouldBe(3);
        read.LastError.ShouldBe("bad input", "control characters cannot travel in a reason");
        read.Message.Body!.ToJsonString().ShouldBe("""{"n":1}""");
        read.Message.ShouldBe(message with { Body = read.Message.Body, Attributes = read.Message.Attributes });
        read.Message.Attributes.ShouldBe(message.Attributes, ignoreOrder: true);
        properties.Persistent.ShouldBeTrue();
        properties.CorrelationId.ShouldBeNull("a correlation id longer than 255 bytes does not fit the AMQP property, only the header");
        properties.ReplyTo.ShouldBe("agent/alice");
    }

    [Fact]
    public void Read_ForeignMessageWithoutBerthHeaders_GetsAnIdTheTimestampAndTheBodyAsAString()
    {
        var properties = new BasicProperties { Timestamp = new AmqpTimestamp(Now.ToUnixTimeSeconds()) };

        var read = AmqpMessage.Read(properties, Encoding.UTF8.GetBytes("not json"), "orders", () => "generated", Now);

        read.Message.Id.ShouldBe("generated");
        read.Message.Topic.ShouldBe("orders");
        read.Message.PublishedAt.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(Now.ToUnixTimeSeconds()));
        read.Message.Body!.GetValue<string>().ShouldBe("not json");
        read.Deliveries.ShouldBe(0);
    }

    [Fact]
    public void BindingArguments_Filter_MatchesAllOfItsAttributeHeaders()
    {
        var arguments = AmqpMessage.BindingArguments(new Dictionary<string, string> { ["kind"] = "b", ["x-tenant"] = "t1" });

        arguments.ShouldBe(new Dictionary<string, object?> { ["x-match"] = "all", ["attr.kind"] = "b", ["attr.x-tenant"] = "t1" }, ignoreOrder: true);
    }
}
