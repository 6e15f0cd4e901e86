// The floor under Berth's proxy: Kestrel and YARP's forwarder with nothing else (no auth, routing, audit, rate limits or
// journal), passing every request to one agent. bench/proxy measures it as setup (f), so the gap between nginx and Berth splits
// into what Kestrel and YARP cost on this machine and what Berth adds on top of them.
//   yarp-floor http://127.0.0.1:LISTEN_PORT http://127.0.0.1:AGENT_PORT
using System.Net;
using Yarp.ReverseProxy.Forwarder;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: yarp-floor LISTEN_URL AGENT_URL");
    return 2;
}

var (listen, agent) = (args[0], args[1]);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.Services.AddHttpForwarder();
var app = builder.Build();

// The same connection settings as Berth's agent pool, without its one-write handler: YARP as shipped.
using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    ActivityHeadersPropagator = null,
});
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
app.Run(async context => await forwarder.SendAsync(context, agent, invoker));
await app.RunAsync(listen);
return 0;
