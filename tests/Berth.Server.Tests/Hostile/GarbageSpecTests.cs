using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Testing;
using Berth.Testing.Specs;

namespace Berth.Server.Tests.Hostile;

[Collection(HostileGroup.Name)]
public sealed class GarbageSpecTests(HostileServerFixture hostile) : IAsyncLifetime
{
    public static TheoryData<string> GarbageBodies => new()
    {
        "",
        "{",
        "[]",
        "[{\"name\":\"{n}\"}]",
        "null",
        "42",
        "\"{n}\"",
        "{\"name\":\"{n}\",\"port\":99999999999}",
        "{\"name\":\"{n}\",\"port\":-1}",
        "{\"name\":\"{n}\",\"replicas\":1e400}",
        "{\"name\":\"{n}\",\"replicas\":2147483648}",
        "{\"name\":\"{n}\",\"replicas\":\"many\"}",
        "{\"name\":null}",
        "{\"name\":\"{n}\",\"image\":\"busybox\",\"dependsOn\":[null]}",
        "{\"name\":\"{n}\",\"process\":{\"command\":null}}",
        "{\"name\":\"{n}\",\"build\":{\"context\":null}}",
        "{\"name\":\"{n}\",\"image\":\"busybox\",\"health\":{\"interval\":\"99999999999999d\"}}",
        "{\"name\":\"{n}\",\"image\":\"busybox\",\"resources\":{\"memory\":\"99999999999999999999Ti\"}}",
        "{\"name\":\"{n}\",\"image\":\"busybox\",\"access\":{\"agents\":[null]}}",
        "{\"name\":\"{n}\",\"name\":\"other\"}",
        "{\"name\":\"{n}\",\"unknown\":1}",
        "{\"name\":\"{n}\",\"image\":\"busybox\",\"args\":[null]}",
        "{\"name\":\"{n}\",\"image\":\"busybox\",\"volumes\":[null]}",
    };

    /// <summary>Explicit nulls where a member has a default: null means "left out", as an empty value does in YAML, so the member keeps its default (these once threw in the validator: 500).</summary>
    public static TheoryData<string> NullsForMembersWithDefaults => new()
    {
        "{\"name\":\"{n}\",\"process\":{\"command\":\"/bin/true\"},\"replicas\":0,\"command\":null}",
        "{\"name\":\"{n}\",\"process\":{\"command\":\"/bin/true\"},\"replicas\":0,\"args\":null}",
        "{\"name\":\"{n}\",\"process\":{\"command\":\"/bin/true\"},\"replicas\":0,\"env\":null}",
        "{\"name\":\"{n}\",\"process\":{\"command\":\"/bin/true\"},\"replicas\":0,\"env\":{\"A\":null}}",
        "{\"name\":\"{n}\",\"process\":{\"command\":\"/bin/true\"},\"replicas\":0,\"volumes\":null}",
        "{\"name\":\"{n}\",\"process\":{\"command\":\"/bin/true\"},\"replicas\":0,\"health\":null}",
        "{\"name\":\"{n}\",\"process\":{\"command\":\"/bin/true\"},\"replicas\":0,\"restart\":null}",
        "{\"name\":\"{n}\",\"process\":{\"command\":\"/bin/true\"},\"replicas\":0,\"capabilities\":null}",
        "{\"name\":\"{n}\",\"process\":{\"command\":\"/bin/true\"},\"replicas\":0,\"dependsOn\":null}",
        "{\"name\":\"{n}\",\"process\":{\"command\":\"/bin/true\",\"args\":null},\"replicas\":0}",
        "{\"name\":\"{n}\",\"process\":{\"command\":\"/bin/true\"},\"replicas\":0,\"security\":null,\"access\":{\"agents\":null}}",
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => hostile.AssertIntactAsync();

    [Theory]
    [MemberData(nameof(GarbageBodies))]
    public async Task Apply_GarbageJson_Is400ProblemAndStoresNothing(string body)
    {
        var name = $"g{Guid.NewGuid():N}"[..12];

        using var response = await hostile.Server.Http.PutAsync(
            $"/api/v1/agents/{name}", new StringContent(SpecBodies.Document("Agent", body.Replace("{n}", name, StringComparison.Ordinal)), Encoding.UTF8, "application/json"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(TestTimeouts.Token()));
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await hostile.Server.Http.GetAsync($"/api/v1/agents/{name}", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(NullsForMembersWithDefaults))]
    public async Task Apply_NullForAMemberWithADefault_StoresTheDefault(string body)
    {
        var name = $"g{Guid.NewGuid():N}"[..12];
        var document = SpecBodies.Document("Agent", body.Replace("{n}", name, StringComparison.Ordinal));

        using var applied = await hostile.Server.Http.PutAsync($"/api/v1/agents/{name}", new StringContent(document, Encoding.UTF8, "application/json"), TestTimeouts.Token());
        var view = await hostile.Server.Http.GetStringAsync($"/api/v1/agents/{name}", TestTimeouts.Token());
        using var removed = await hostile.Server.Http.DeleteAsync($"/api/v1/agents/{name}", TestTimeouts.Token());

        applied.StatusCode.ShouldBe(HttpStatusCode.Created, await applied.Content.ReadAsStringAsync(TestTimeouts.Token()));
        JsonNode.Parse(view)!["spec"]!.ToJsonString().ShouldNotContain("null", customMessage: "no member is stored as null");
        removed.IsSuccessStatusCode.ShouldBeTrue();
    }

    [Theory]
    [InlineData(new byte[] { 0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d })]
    [InlineData(new byte[] { 0xef, 0xbb, 0xbf, 0xc0, 0xaf, 0x7b, 0x7d })]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x7b })]
    public async Task Apply_InvalidUtf8_Is400Problem(byte[] body)
    {
        var name = $"g{Guid.NewGuid():N}"[..12];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");

        using var response = await hostile.Server.Http.PutAsync($"/api/v1/agents/{name}", content, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(TestTimeouts.Token()));
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("/api/v1/agents/{a}/events?limit=99999999999")]
    [InlineData("/api/v1/agents/{a}/events?after=-99999999999999999999999")]
    [InlineData("/api/v1/agents/{a}/logs?tail=abc")]
    [InlineData("/api/v1/agents/{a}/logs?since=notatime")]
    public async Task Query_OverflowingOrGarbageNumbers_Is400(string route)
    {
        using var response = await hostile.Server.Http.GetAsync(route.Replace("{a}", hostile.A, StringComparison.Ordinal), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(TestTimeouts.Token()));
    }
}
