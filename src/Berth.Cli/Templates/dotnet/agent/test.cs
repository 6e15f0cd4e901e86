// Tests for {{name}}: run `dotnet run test.cs` (no packages). Starts app.cs on a free port and checks health, invoke and a
// repeated Idempotency-Key. Exits 0 when every check passes.
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
    Check((await GetAsync("/health"))["status"]?.ToString() == "healthy", "health is healthy");
    Check((int?)(await PostAsync("/invoke", """{"text": "one two three"}""", null)).Body["words"] == 3, "invoke counts 3 words");
    var before = (int)(await GetAsync("/health"))["executions"]!;
    var key = $"key-{Guid.NewGuid():N}";
    var first = await PostAsync("/invoke", """{"text": "a b"}""", key);
    var second = await PostAsync("/invoke", """{"text": "a b"}""", key);
    var after = (int)(await GetAsync("/health"))["executions"]!;
    Check(first.Body.ToJsonString() == second.Body.ToJsonString() && second.Replayed, "a repeated key gets the stored answer");
    Check(after - before == 1, $"a repeated key runs once (ran {after - before} times)");
}
finally
{
    server.Kill(entireProcessTree: true);
    Directory.Delete(state, recursive: true);
}

Console.WriteLine(failures.Count == 0 ? "ok: health, invoke, repeated key ran once" : $"FAILED: {string.Join("; ", failures)}");
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

async Task<JsonNode> GetAsync(string path) => JsonNode.Parse(await http.GetStringAsync(path))!;

async Task<(JsonNode Body, bool Replayed)> PostAsync(string path, string json, string? key)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    if (key is not null) request.Headers.Add("Idempotency-Key", key);
    using var response = await http.SendAsync(request);
    return (JsonNode.Parse(await response.Content.ReadAsStringAsync())!, response.Headers.Contains("Idempotent-Replay"));
}
