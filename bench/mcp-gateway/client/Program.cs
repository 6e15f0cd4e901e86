// Times N sequential tool calls made with the official C# SDK client, to the MCP agent directly and through Berth's
// gateway, after a warm-up each way, and prints p50, p99 and mean of both and the difference: the gateway's added latency.
// Usage: mcp-gateway-bench GATEWAY_URL TOKEN AGENT_MCP_URL AGENT_NAME CALLS WARMUP
using System.Diagnostics;
using System.Globalization;
using ModelContextProtocol.Client;

if (args.Length != 6)
{
    Console.Error.WriteLine("usage: mcp-gateway-bench GATEWAY_URL TOKEN AGENT_MCP_URL AGENT_NAME CALLS WARMUP");
    return 2;
}

var (gatewayUrl, token, agentUrl, agent) = (args[0], args[1], args[2], args[3]);
var calls = int.Parse(args[4], CultureInfo.InvariantCulture);
var warmup = int.Parse(args[5], CultureInfo.InvariantCulture);
var arguments = new Dictionary<string, object?> { ["text"] = "bench" };

await using var direct = await ConnectAsync(agentUrl, token: null);
await using var gateway = await ConnectAsync(gatewayUrl, token);
await WaitListedAsync(gateway, $"{agent}__echo");
var directTimes = await TimeAsync(direct, "echo");
var gatewayTimes = await TimeAsync(gateway, $"{agent}__echo");

Console.WriteLine($"{"path",-10} {"calls",6} {"p50 ms",8} {"p99 ms",8} {"mean ms",8}");
Print("direct", directTimes);
Print("gateway", gatewayTimes);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"added by the gateway: p50 {Percentile(gatewayTimes, 0.50) - Percentile(directTimes, 0.50):0.000} ms, p99 {Percentile(gatewayTimes, 0.99) - Percentile(directTimes, 0.99):0.000} ms, mean {gatewayTimes.Average() - directTimes.Average():0.000} ms"));
return 0;

async Task<List<double>> TimeAsync(McpClient client, string tool)
{
    for (var i = 0; i < warmup; i++)
    {
        await CallAsync(client, tool);
    }

    var times = new List<double>(calls);
    for (var i = 0; i < calls; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await CallAsync(client, tool);
        times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    return times;
}

// The gateway reads a new agent's tools a moment after it turns healthy.
static async Task WaitListedAsync(McpClient client, string tool)
{
    for (var i = 0; i < 300; i++)
    {
        if ((await client.ListToolsAsync()).Any(t => t.Name == tool))
        {
            return;
        }

        await Task.Delay(100);
    }

    throw new InvalidOperationException($"the gateway did not list {tool} within 30s");
}

async Task CallAsync(McpClient client, string tool)
{
    var result = await client.CallToolAsync(tool, arguments);
    if (result.IsError == true)
    {
        throw new InvalidOperationException($"{tool} answered with an error: {string.Join(' ', result.Content.Select(c => c.ToString()))}");
    }
}

static Task<McpClient> ConnectAsync(string url, string? token)
{
    var options = new HttpClientTransportOptions { Endpoint = new Uri(url), TransportMode = HttpTransportMode.StreamableHttp };
    if (token is not null)
    {
        options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" };
    }

    return McpClient.CreateAsync(new HttpClientTransport(options), new McpClientOptions { ProtocolVersion = "2025-11-25" });
}

static double Percentile(List<double> times, double p)
{
    var sorted = times.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

static void Print(string path, List<double> times) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{path,-10} {times.Count,6} {Percentile(times, 0.50),8:0.000} {Percentile(times, 0.99),8:0.000} {times.Average(),8:0.000}"));
