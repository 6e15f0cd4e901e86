using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Server.Tests.Hostile;
using Berth.Server.Tests.Requests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Requests;

/// <summary>The request body limit on the durable proxy path: refused before anything is stored or sent to the agent.</summary>
[RequiresDocker]
public sealed class BodyLimitTests : IAsyncLifetime
{
    private const int Limit = 64 * 1024;

    private DockerCgiAgent _agent = null!;

    public async Task InitializeAsync() => _agent = await DockerCgiAgent.StartAsync($"--Berth:Limits:MaxRequestBodyBytes={Limit}");

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task Proxy_BodyOverTheLimit_Is413NamingTheLimit_NothingStoredOrSent()
    {
        await _agent.ApplyAsync();
        using var request = BigRequest(Limit + 1, key: "big");
        request.Headers.ExpectContinue = true;

        using var response = await _agent.Server.Http.SendAsync(request, TestTimeouts.Token());

        await ShouldBeTooLargeAsync(response);
        (await _agent.ListRequestsAsync()).ShouldBeEmpty();
        _agent.Lines("runs").ShouldBeEmpty();

        // had the refused request been stored under its key, a different body with that key would be a 422
        using var small = BigRequest(Limit, key: "big");
        using var accepted = await _agent.Server.Http.SendAsync(small, TestTimeouts.Token());
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync(TestTimeouts.Token()));
        (await _agent.ListRequestsAsync()).ShouldHaveSingleItem().Status.ShouldBe(200);
        _agent.Lines("runs").Count.ShouldBe(1);
    }

    [Fact]
    public async Task Proxy_ChunkedBodyOverTheLimit_Is413NamingTheLimit_NothingStoredOrSent()
    {
        await _agent.ApplyAsync();
        // no length up front: the durable proxy finds the body too large while reading it to store it
        var head = RawHttp.Request("POST", $"/agents/{_agent.Name}/cgi-bin/run", $"Authorization: Bearer {_agent.Server.AdminToken}\r\nTransfer-Encoding: chunked\r\n");
        var chunk = new byte[Limit];

        var response = await RawHttp.SendAsync(
            _agent.Server.Server.Address,
            [.. Encoding.ASCII.GetBytes(head), .. Encoding.ASCII.GetBytes($"{Limit:x}\r\n"), .. chunk, .. "\r\n"u8, .. Encoding.ASCII.GetBytes($"{Limit:x}\r\n"), .. chunk, .. "\r\n0\r\n\r\n"u8]);

        response.Status.ShouldBe(413, response.ToString());
        response.Head.ShouldContain("application/problem+json");
        response.Body.ShouldContain("64 KiB");
        response.Body.ShouldContain("Berth:Limits:MaxRequestBodyBytes");
        (await _agent.ListRequestsAsync()).ShouldBeEmpty();
        _agent.Lines("runs").ShouldBeEmpty();
    }

    private HttpRequestMessage BigRequest(int size, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/agents/{_agent.Name}/cgi-bin/run") { Content = new ByteArrayContent(new byte[size]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    private static async Task ShouldBeTooLargeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        body.ShouldContain("64 KiB");
        body.ShouldContain($"{Limit} bytes");
        body.ShouldContain("Berth:Limits:MaxRequestBodyBytes");
    }
}
