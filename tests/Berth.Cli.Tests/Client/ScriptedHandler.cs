using System.Net;
using System.Text;

namespace Berth.Cli.Tests.Client;

/// <summary>Answers each request with what <c>answer</c> returns for it, and records every request with its body.</summary>
internal sealed class ScriptedHandler(Func<HttpRequestMessage, (HttpStatusCode Status, string Body, string MediaType)> answer) : HttpMessageHandler
{
    public ScriptedHandler(HttpStatusCode status, string body, string mediaType = "application/json")
        : this(_ => (status, body, mediaType))
    {
    }

    public List<(HttpMethod Method, string PathAndQuery, string Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add((request.Method, request.RequestUri!.PathAndQuery, body));
        }

        var (status, text, mediaType) = answer(request);
        return new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, mediaType), RequestMessage = request };
    }
}
