using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Cli.Tests.Workflows;

/// <summary>
/// A real Kestrel on 127.0.0.1:0 that answers <c>METHOD /path</c> routes with canned bodies, so the CLI's rendering is tested over real
/// HTTP without the server's engine. Each route answers from its list in turn and keeps repeating the last answer; requests are recorded.
/// </summary>
internal sealed class StubApiServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Queue<Answer>> _routes = new(StringComparer.Ordinal);
    private readonly WebApplication _app;

    private StubApiServer(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Every request as <c>METHOD /path?query</c> with its body.</summary>
    public ConcurrentQueue<(string Request, string Body)> Requests { get; } = new();

    public static async Task<StubApiServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stub = new StubApiServer(app);
        app.Run(stub.AnswerAsync);
        await app.StartAsync(cancellationToken);
        stub.Url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return stub;
    }

    /// <summary>Answers <paramref name="route"/> (<c>GET /api/v1/runs/r1</c>) with these bodies in turn, then the last one again and again.</summary>
    public void On(string route, int status, params string[] bodies) =>
        _routes[route] = new Queue<Answer>(bodies.Select(b => new Answer(status, "application/json", b)));

    /// <summary>Answers <paramref name="route"/> with a problem document.</summary>
    public void OnProblem(string route, int status, string problem) =>
        _routes[route] = new Queue<Answer>([new Answer(status, "application/problem+json", problem)]);

    /// <summary>Answers <paramref name="route"/> with a <c>text/event-stream</c> body, which ends with the response.</summary>
    public void OnEvents(string route, string stream) =>
        _routes[route] = new Queue<Answer>([new Answer(200, "text/event-stream", stream)]);

    public IReadOnlyList<string> Paths => Requests.Select(r => r.Request).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        Requests.Enqueue(($"{request.Method} {request.Path}{request.QueryString}", await reader.ReadToEndAsync(context.RequestAborted)));
        if (!_routes.TryGetValue($"{request.Method} {request.Path}", out var answers) || answers.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsync($$"""{"title":"Not found","status":404,"detail":"no stub for {{request.Method}} {{request.Path}}"}""", context.RequestAborted);
            return;
        }

        Answer answer;
        lock (answers)
        {
            answer = answers.Count > 1 ? answers.Dequeue() : answers.Peek();
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.MediaType;
        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    private sealed record Answer(int Status, string MediaType, string Body);
}
