using System.Net;
using System.Net.Http.Headers;
using Berth.Core.Requests;
using Berth.Server.Tests.Requests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Requests;

/// <summary>Server-sent events through the durable proxy (persistence on, the default), against a real container agent.</summary>
[RequiresDocker]
public sealed class StreamingTests : IAsyncLifetime
{
    private DockerCgiAgent _agent = null!;

    public async Task InitializeAsync() => _agent = await DockerCgiAgent.StartAsync();

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task Proxy_ServerSentEvents_FirstEventReachesTheCallerBeforeTheStreamEnds_StreamIsStoredWhenItEnds()
    {
        await _agent.ApplyAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/agents/{_agent.Name}/cgi-bin/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        // the agent holds event two back until the release, so the headers and event one arrive here only if they are passed on at once
        var held = TimeSpan.FromSeconds(30);
        using var response = await _agent.Server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Token(held));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var id = response.Headers.GetValues("Berth-Request-Id").ShouldHaveSingleItem();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestTimeouts.Token()));
        (await reader.ReadLineAsync(TestTimeouts.Token(held))).ShouldBe("data: one");
        (await reader.ReadLineAsync(TestTimeouts.Token())).ShouldBe(string.Empty);
        _agent.Lines("events").ShouldBeEmpty();
        (await _agent.GetRequestAsync(id)).Request.State.ShouldBe(RequestState.Dispatched);

        _agent.Release();

        (await reader.ReadToEndAsync(TestTimeouts.Token())).ShouldBe("data: two\n\n");
        _agent.Lines("events").ShouldBe([$"ended {id}"]);
        var stored = await _agent.WaitForRequestAsync(id, RequestState.Completed);
        stored.Request.Attempts.ShouldBe(1);
        stored.Response!.Status.ShouldBe(200);
        stored.Response.Message.Body.ShouldBe("data: one\n\ndata: two\n\n");
        stored.Response.Truncated.ShouldBeFalse();
        stored.Response.Length.ShouldBe(22);
        stored.Response.Message.Headers.ShouldContain(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && h.Value == "text/event-stream");
    }
}
