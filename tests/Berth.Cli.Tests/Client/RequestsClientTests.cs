using System.Net;
using Berth.Client;
using Berth.Client.Errors;
using Berth.Core.Requests;
using Berth.Testing;

namespace Berth.Cli.Tests.Client;

public sealed class RequestsClientTests
{
    private static (BerthClient Client, StubHandler Handler) Create(HttpStatusCode status, string body, string mediaType = "application/json")
    {
        var handler = new StubHandler(status, body, mediaType);
        var http = new HttpClient(handler) { BaseAddress = new Uri("http://berth.test:2378") };
        return (new BerthClient(http), handler);
    }

    [Fact]
    public async Task ListRequestsAsync_EveryFilter_SentInTheQueryWithTheStateInKebabCase()
    {
        var (client, handler) = Create(HttpStatusCode.OK, "[]");

        var requests = await client.ListRequestsAsync("echo", RequestState.DeadLettered, "10m", 5, 42, TestTimeouts.Token(TestTimeouts.Quick));

        requests.ShouldBeEmpty();
        handler.Requests.Single().RequestUri!.PathAndQuery.ShouldBe("/api/v1/requests?agent=echo&state=dead-lettered&since=10m&limit=5&before=42");
    }

    [Fact]
    public async Task GetRequestAsync_Detail_ReadsHeadersBodiesAndEnums()
    {
        const string body = """
            {"request":{"id":"abc","sequence":7,"agent":"echo","state":"completed","method":"POST","target":"/run?x=1","status":201,
              "attempts":2,"maxAttempts":5,"lastFailure":"connection-lost","lastError":"reset","caller":"token:1","acceptedAt":"2026-01-01T00:00:00Z"},
             "sent":{"headers":[{"key":"X-A","value":"1"},{"key":"X-A","value":"2"}],"body":"hi","bodyEncoding":"utf-8"},
             "response":{"status":201,"message":{"headers":[],"body":"AAE=","bodyEncoding":"base64"},"truncated":true,"length":9000}}
            """;
        var (client, handler) = Create(HttpStatusCode.OK, body);

        var detail = await client.GetRequestAsync("abc", TestTimeouts.Token(TestTimeouts.Quick));

        handler.Requests.Single().RequestUri!.AbsolutePath.ShouldBe("/api/v1/requests/abc");
        detail.Request.State.ShouldBe(RequestState.Completed);
        detail.Request.LastFailure.ShouldBe(DeliveryFailure.ConnectionLost);
        detail.Sent.Headers.Select(h => h.Value).ShouldBe(["1", "2"]);
        detail.Response!.Message.BodyEncoding.ShouldBe("base64");
        (detail.Response.Truncated, detail.Response.Length).ShouldBe((true, 9000L));
    }

    [Fact]
    public async Task RequeueRequestAsync_Conflict_ThrowsWithTheServersReason()
    {
        var (client, handler) = Create(
            HttpStatusCode.Conflict, """{"title":"Conflict","status":409,"detail":"Request abc is dispatched: it is still on its way"}""", "application/problem+json");

        var exception = await Should.ThrowAsync<BerthApiException>(() => client.RequeueRequestAsync("abc", TestTimeouts.Token(TestTimeouts.Quick)));

        exception.Status.ShouldBe(409);
        exception.Detail!.ShouldContain("still on its way");
        handler.Requests.Single().Method.ShouldBe(HttpMethod.Post);
        handler.Requests.Single().RequestUri!.AbsolutePath.ShouldBe("/api/v1/requests/abc/requeue");
    }

    [Fact]
    public async Task DeleteRequestAsync_NoContent_SendsDelete()
    {
        var (client, handler) = Create(HttpStatusCode.NoContent, "");

        await client.DeleteRequestAsync("a b", TestTimeouts.Token(TestTimeouts.Quick));

        handler.Requests.Single().Method.ShouldBe(HttpMethod.Delete);
        handler.Requests.Single().RequestUri!.AbsolutePath.ShouldBe("/api/v1/requests/a%20b");
    }

    [Fact]
    public async Task PurgeRequestsAsync_ReturnsTheDeletedCount()
    {
        var (client, handler) = Create(HttpStatusCode.OK, """{"deleted":3}""");

        var deleted = await client.PurgeRequestsAsync("echo", RequestState.Completed, TestTimeouts.Token(TestTimeouts.Quick));

        deleted.ShouldBe(3);
        handler.Requests.Single().Method.ShouldBe(HttpMethod.Delete);
        handler.Requests.Single().RequestUri!.PathAndQuery.ShouldBe("/api/v1/requests?agent=echo&state=completed");
    }

    [Fact]
    public async Task PurgeRequestsAsync_StateStillInFlight_RefusedBeforeSending()
    {
        var (client, handler) = Create(HttpStatusCode.OK, """{"deleted":0}""");

        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => client.PurgeRequestsAsync("echo", RequestState.Accepted, TestTimeouts.Token(TestTimeouts.Quick)));

        handler.Requests.ShouldBeEmpty();
    }
}
