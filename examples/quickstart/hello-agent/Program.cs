// A tiny agent for the quick start: it needs nothing but the .NET runtime. Berth gives it a
// loopback port in PORT and reaches it only through the proxy.
using System.Text.Json.Serialization;

var port = Environment.GetEnvironmentVariable("PORT") ?? "8000";
var name = Environment.GetEnvironmentVariable("BERTH_AGENT") ?? "hello";
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, HelloJson.Default));

var app = builder.Build();
var served = 0;
app.MapGet("/health", () => TypedResults.Ok(new Health("ok")));
app.MapPost("/greet", (Greeting request) =>
{
    var count = Interlocked.Increment(ref served);
    Console.WriteLine($"greeted {request.Name} (request {count})");
    return TypedResults.Ok(new Reply($"Hello, {request.Name}! This is {name}, answering through Berth.", count));
});
app.MapGet("/", () => TypedResults.Ok(new Reply($"{name} is up. POST /greet with {{\"name\":\"you\"}}.", served)));

Console.WriteLine($"hello-agent listening on 127.0.0.1:{port}");
await app.RunAsync($"http://127.0.0.1:{port}");

internal sealed record Health(string Status);

internal sealed record Greeting(string Name);

internal sealed record Reply(string Message, int Served);

[JsonSerializable(typeof(Health))]
[JsonSerializable(typeof(Greeting))]
[JsonSerializable(typeof(Reply))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class HelloJson : JsonSerializerContext;
