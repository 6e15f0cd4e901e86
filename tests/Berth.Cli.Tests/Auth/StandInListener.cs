using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Cli.Tests.Auth;

/// <summary>
/// Something that is not the Berth server, listening on a loopback port as a real Kestrel: it answers every request 200
/// (<c>ok</c> on /healthz, <c>[]</c> elsewhere) and records each request's path and Authorization header. With a relay, its
/// /healthz forwards the request's headers to a real server and copies back that server's answer headers.
/// </summary>
internal sealed class StandInListener : IAsyncDisposable
{
    private static readonly HttpClient Relay = new();
    private readonly WebApplication _app;
    private readonly Uri? _relayTo;

    private StandInListener(WebApplication app, Uri? relayTo)
    {
        _app = app;
        _relayTo = relayTo;
    }

    public string Url { get; private set; } = "";

    /// <summary>Each request as (path, Authorization header or null).</summary>
    public ConcurrentQueue<(string Path, string? Authorization)> Requests { get; } = new();

    public static async Task<StandInListener> StartAsync(Uri? relayHealthTo = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var listener = new StandInListener(app, relayHealthTo);
        app.Run(listener.AnswerAsync);
        await app.StartAsync(Berth.Testing.TestTimeouts.Token());
        listener.Url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        Requests.Enqueue((context.Request.Path.Value ?? "", authorization.Length == 0 ? null : authorization));
        if (context.Request.Path == "/healthz")
        {
            if (_relayTo is not null)
            {
                using var relayed = new HttpRequestMessage(HttpMethod.Get, new Uri(_relayTo, "/healthz"));
                foreach (var header in context.Request.Headers.Where(h => h.Key.StartsWith("Berth-", StringComparison.OrdinalIgnoreCase)))
                {
                    relayed.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
                }

                using var answer = await Relay.SendAsync(relayed, context.RequestAborted);
                foreach (var header in answer.Headers.Where(h => h.Key.StartsWith("Berth-", StringComparison.OrdinalIgnoreCase)))
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }

            await context.Response.WriteAsync("ok", context.RequestAborted);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("[]", context.RequestAborted);
    }
}
