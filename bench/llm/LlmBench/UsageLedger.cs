using System.Net.Http.Headers;
using System.Text.Json;

namespace Berth.Bench.Llm;

/// <summary>
/// What the server's usage ledger says about the run: <c>GET /api/v1/usage?since=1h&amp;by=endpoint</c>, whose <c>total</c>
/// must count every call sent through the gateway, each settled with the tokens the provider reported.
/// </summary>
internal sealed class UsageLedger(HttpClient http, Uri server, string token, TimeProvider time)
{
    /// <summary>How long settlements may trail the answers: a call is settled after its answer has been passed on.</summary>
    private static readonly TimeSpan Settling = TimeSpan.FromSeconds(15);

    /// <summary>Reads the total until it matches <paramref name="calls"/> calls of the given tokens each, or <see cref="Settling"/> has passed.</summary>
    public async Task<UsageCheck> CheckAsync(long calls, (long Prompt, long Completion) perCall, CancellationToken cancellationToken)
    {
        var expected = new UsageTotal(calls, calls * perCall.Prompt, calls * perCall.Completion);
        var deadline = time.GetTimestamp() + (long)(Settling.TotalSeconds * time.TimestampFrequency);
        UsageTotal recorded;
        while ((recorded = await TotalAsync(cancellationToken)) != expected && time.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }

        return new UsageCheck(expected, recorded);
    }

    private async Task<UsageTotal> TotalAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, "/api/v1/usage?since=1h&by=endpoint"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"GET /api/v1/usage was answered HTTP {(int)response.StatusCode}: {text}");
        }

        using var report = JsonDocument.Parse(text);
        return report.RootElement.TryGetProperty("total", out var total)
            && total.TryGetProperty("calls", out var count) && total.TryGetProperty("promptTokens", out var prompt)
            && total.TryGetProperty("completionTokens", out var completion)
            ? new UsageTotal(count.GetInt64(), prompt.GetInt64(), completion.GetInt64())
            : throw new BenchException($"GET /api/v1/usage has no total {{ calls, promptTokens, completionTokens }}: {text}");
    }
}
