// Contract tests for {{name}}: run `dotnet run test.cs` (no packages). Starts app.cs on a free port and checks /health,
// the example through /execute, a user error, a repeated invocationId and /metrics. Exits 0 when every check passes.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

var listener = new TcpListener(IPAddress.Loopback, 0);
listener.Start();
var port = ((IPEndPoint)listener.LocalEndpoint).Port;
listener.Stop();
var state = Directory.CreateTempSubdirectory("{{name}}-").FullName;
var start = new ProcessStartInfo("dotnet", ["run", Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", "app.cs")]);
start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
start.Environment["IDEMPOTENCY_DIR"] = state;
using var server = Process.Start(start)!;
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
var failures = new List<string>();
try
{
    await WaitHealthyAsync();
    Check(await http.GetStringAsync("/health") == """{"status":"healthy"}""", "health is healthy");
    var example = await ExecuteAsync("""{"text": "hello berth world"}""", "t-1");
    Check(example.ToJsonString() == """{"success":true,"outputs":{"words":3,"characters":17}}""", $"the example gives its outputs ({example.ToJsonString()})");
    Check((await ExecuteAsync("""{"text": 3}""", "t-2"))["error"]?["class"]?.ToString() == "user", "a bad input is a user error");
    var before = await ExecutionsAsync();
    var invocation = $"t-{Guid.NewGuid():N}";
    var first = await ExecuteAsync("""{"text": "a b"}""", invocation);
    var second = await ExecuteAsync("""{"text": "a b"}""", invocation);
    Check(first.ToJsonString() == second.ToJsonString(), "a repeated invocation gets the stored answer");
    Check(await ExecutionsAsync() - before == 1, "a repeated invocation runs once");
    Check((await http.GetStringAsync("/metrics")).Contains("# TYPE plugin_requests_total counter\n", StringComparison.Ordinal), "/metrics is Prometheus text");
}
finally
{
    server.Kill(entireProcessTree: true);
    Directory.Delete(state, recursive: true);
}

Console.WriteLine(failures.Count == 0 ? "ok: health, example, user error, repeated invocation ran once, metrics" : $"FAILED: {string.Join("; ", failures)}");
return failures.Count == 0 ? 0 : 1;

void Check(bool condition, string what)
{
    if (!condition) failures.Add(what);
}

async Task WaitHealthyAsync()
{
    for (var i = 0; i < 600; i++) // the first `dotnet run app.cs` builds it
    {
        try { await http.GetAsync("/health"); return; }
        catch (HttpRequestException) { await Task.Delay(200); }
    }

    throw new InvalidOperationException("app.cs did not answer /health");
}

async Task<JsonNode> ExecuteAsync(string inputs, string invocationId)
{
    var json = "{\"inputs\": " + inputs + ", \"context\": {\"invocationId\": \"" + invocationId + "\"}}";
    using var response = await http.PostAsync("/execute", new StringContent(json, Encoding.UTF8, "application/json"));
    return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}

async Task<int> ExecutionsAsync()
{
    var line = (await http.GetStringAsync("/metrics")).Split('\n').Single(l => l.StartsWith("plugin_executions_total ", StringComparison.Ordinal));
    return int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
}
