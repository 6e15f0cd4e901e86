using System.Net;
using System.Text;

namespace Berth.Cli.Tests.Client;

/// <summary>Answers every request with one canned response and records the requests.</summary>
internal sealed class StubHandler(HttpStatusCode status, string body, string mediaType) : HttpMessageHandler
{
    public List<HttpRequestMessage> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return Task.FromResult(new HttpResponseMessage(status)
        {
            Content = new StringContent(body, Encoding.UTF8, mediaType),
            RequestMessage = request,
        });
    }
}
