// A test agent that speaks gRPC over HTTP/2 without TLS (h2c), as gRPC servers in containers do. Berth gives it a loopback
// port in PORT; its spec says protocol: http2, so the proxy and the health probe speak HTTP/2 to it by prior knowledge.
using Berth.TestAgents.Grpc;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;

var port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "8000", System.Globalization.CultureInfo.InvariantCulture);
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc();
var app = builder.Build();
app.MapGrpcService<EchoService>();
app.MapGet("/health", (HttpContext context) => $"ok {context.Request.Protocol}");
await app.RunAsync();

internal sealed class EchoService : Echo.EchoBase
{
    public override Task<SayReply> Say(SayRequest request, ServerCallContext context) => Task.FromResult(new SayReply
    {
        Text = $"echo: {request.Text}",
        Agent = Environment.GetEnvironmentVariable("BERTH_AGENT") ?? "",
        Authorization = context.RequestHeaders.GetValue("authorization") ?? "",
    });

    public override async Task Count(CountRequest request, IServerStreamWriter<CountReply> responseStream, ServerCallContext context)
    {
        for (var i = 1; i <= request.To; i++)
        {
            await responseStream.WriteAsync(new CountReply { Number = i }, context.CancellationToken);
        }
    }
}
