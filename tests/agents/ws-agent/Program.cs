// A test agent that speaks WebSocket: /ws echoes every text message back as "echo: {message}", and answers "whoami" with its
// process id, so a test can tell which process served it. Berth gives it a loopback port in PORT.
using System.Net.WebSockets;
using System.Text;

var port = Environment.GetEnvironmentVariable("PORT") ?? "8000";
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.UseWebSockets();
app.MapGet("/health", () => "ok");
app.Map("/ws", async (HttpContext context) =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        return Results.BadRequest("expected a WebSocket handshake");
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var buffer = new byte[16 * 1024];
    while (true)
    {
        using var message = new MemoryStream();
        WebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            message.Write(buffer, 0, received.Count);
        }
        while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

        if (received.MessageType == WebSocketMessageType.Close)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
            return Results.Empty;
        }

        var text = Encoding.UTF8.GetString(message.ToArray());
        var answer = text == "whoami" ? $"pid {Environment.ProcessId}" : $"echo: {text}";
        var header = context.Request.Headers["X-Test"].ToString();
        if (text == "headers")
        {
            answer = $"x-test={header} authorization={context.Request.Headers.Authorization} xfprefix={context.Request.Headers["X-Forwarded-Prefix"]}";
        }

        await socket.SendAsync(Encoding.UTF8.GetBytes(answer), WebSocketMessageType.Text, true, context.RequestAborted);
    }
});

await app.RunAsync($"http://127.0.0.1:{port}");
