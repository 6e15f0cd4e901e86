using System.Text.Json.Nodes;
using Berth.Server.A2a;

namespace Berth.Server.Tests.A2a;

/// <summary>What Berth rewrites in an A2A card (the agent's endpoints, v0.3 and v1.0) and what it leaves alone.</summary>
public sealed class AgentCardRewriterTests
{
    private const string Base = "https://berth.example:2378/agents/helper";

    [Fact]
    public void Rewrite_V03Card_MovesUrlAndAdditionalInterfacesUnderTheProxy()
    {
        var card = JsonNode.Parse("""
            { "url": "http://localhost:8000/a2a/jsonrpc?x=1", "additionalInterfaces": [ { "url": "http://10.0.0.5:8000/a2a/rest", "transport": "HTTP+JSON" } ],
              "provider": { "url": "https://example.com" }, "documentationUrl": "https://docs.example.com", "iconUrl": "http://localhost:8000/icon.png" }
            """)!.AsObject();

        var changed = AgentCardRewriter.Rewrite(card, Base);

        card["url"]!.GetValue<string>().ShouldBe($"{Base}/a2a/jsonrpc?x=1");
        card["additionalInterfaces"]![0]!["url"]!.GetValue<string>().ShouldBe($"{Base}/a2a/rest");
        card["provider"]!["url"]!.GetValue<string>().ShouldBe("https://example.com");
        card["documentationUrl"]!.GetValue<string>().ShouldBe("https://docs.example.com");
        card["iconUrl"]!.GetValue<string>().ShouldBe("http://localhost:8000/icon.png", "an icon is not an endpoint A2A calls");
        changed.ShouldBe(["url", "additionalInterfaces[0].url"]);
    }

    [Fact]
    public void Rewrite_V10Card_MovesEverySupportedInterface()
    {
        var card = JsonNode.Parse("""{ "supportedInterfaces": [ { "url": "http://127.0.0.1:41000/" }, { "url": "https://agent.internal/rpc" } ] }""")!.AsObject();

        AgentCardRewriter.Rewrite(card, Base + "/");

        card["supportedInterfaces"]![0]!["url"]!.GetValue<string>().ShouldBe($"{Base}/");
        card["supportedInterfaces"]![1]!["url"]!.GetValue<string>().ShouldBe($"{Base}/rpc");
    }

    [Theory]
    [InlineData("/a2a/jsonrpc")]
    [InlineData("grpc://127.0.0.1:50051")]
    [InlineData("not a url")]
    public void Rewrite_UrlThatIsNotAnAbsoluteHttpUrl_IsLeftAsWritten(string url)
    {
        var card = new JsonObject { ["url"] = url, ["supportedInterfaces"] = new JsonArray(new JsonObject { ["url"] = url }, 42) };

        var changed = AgentCardRewriter.Rewrite(card, Base);

        changed.ShouldBeEmpty();
        card["url"]!.GetValue<string>().ShouldBe(url);
    }

    [Theory]
    [InlineData("echo", "echo")]
    [InlineData("Say Hello!", "Say-Hello")]
    [InlineData("a//b  c", "a-b-c")]
    [InlineData("  !!  ", null)]
    [InlineData("répondre", "r-pondre")]
    public void Sanitise_SkillId_IsACapabilityName(string id, string? expected) =>
        SkillCapabilities.Sanitise(id).ShouldBe(expected);

    [Fact]
    public void Of_CardWithDuplicateAndLongIds_ListsEachNameOnceWithinTheLimit()
    {
        var card = JsonNode.Parse($$"""{ "skills": [ { "id": "echo" }, { "id": "echo!" }, { "id": "{{new string('x', 300)}}" }, { "name": "no id" } ] }""")!.AsObject();

        var names = SkillCapabilities.Of(card);

        names.Count.ShouldBe(2);
        names[0].ShouldBe("echo");
        names[1].Length.ShouldBe(100);
    }
}
