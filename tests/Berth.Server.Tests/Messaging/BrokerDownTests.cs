using System.Net;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Messaging;

/// <summary>A server whose RabbitMQ does not answer: it starts anyway, and messaging says why it cannot serve.</summary>
public sealed class BrokerDownTests
{
    [Fact]
    public async Task Start_RabbitMqRefusesConnections_ServerStartsAndMessagingAnswers503()
    {
        // Port 1 on loopback refuses at once: no RabbitMQ is needed to prove this.
        await using var server = await TestServer.StartAsync(extraArgs:
            ["--Berth:Messaging:Backend=rabbitmq", "--Berth:Messaging:RabbitMq:Url=amqp://guest:guest@127.0.0.1:1/", "--Berth:Messaging:RabbitMq:OperationTimeout=1s"]);

        using var agents = await server.Http.GetAsync("/api/v1/agents", TestTimeouts.Token());
        using var topic = await Messages.PutDocumentAsync(server.Http, "topics", "Topic", Messages.NewName("t"), "{}");

        agents.StatusCode.ShouldBe(HttpStatusCode.OK);
        topic.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, await topic.Content.ReadAsStringAsync());
        (await Messages.ProblemAsync(topic))["type"]!.GetValue<string>().ShouldBe("urn:berth:problem:broker-unavailable");
    }
}
