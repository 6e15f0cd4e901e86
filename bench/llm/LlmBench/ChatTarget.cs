using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Testing.Llm;

namespace Berth.Bench.Llm;

/// <summary>
/// One way to the model: the fake provider's own URL, or Berth's gateway in front of it. Sends <see cref="ChatRequests"/>,
/// checks every answer (so an error page is never timed as a fast call) and counts what it sent.
/// </summary>
internal sealed class ChatTarget(string name, HttpClient http, Uri openAIBaseUrl, string bearer, TimeProvider time)
{
    private readonly Uri _completions = new($"{openAIBaseUrl.ToString().TrimEnd('/')}/chat/completions");
    private long _sent;

    public string Name => name;

    /// <summary>Calls sent so far, answered or not.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>One chat completion; milliseconds from sending it to having read the whole answer.</summary>
    public async Task<double> CompleteAsync(CancellationToken cancellationToken)
    {
        var (elapsed, _) = await CompleteWithBodyAsync(cancellationToken);
        return elapsed;
    }

    /// <summary>One chat completion, and the prompt and completion tokens its answer reports.</summary>
    public async Task<(long Prompt, long Completion)> UsageOfOneCallAsync(CancellationToken cancellationToken)
    {
        var (_, text) = await CompleteWithBodyAsync(cancellationToken);
        using var answer = JsonDocument.Parse(text);
        return answer.RootElement.TryGetProperty("usage", out var usage)
            && usage.TryGetProperty("prompt_tokens", out var prompt) && usage.TryGetProperty("completion_tokens", out var completion)
            ? (prompt.GetInt64(), completion.GetInt64())
            : throw new BenchException($"{name}: the answer reports no usage: {Shown(text)}");
    }

    /// <summary>One streamed chat completion, read to its end.</summary>
    public async Task<StreamTiming> StreamAsync(CancellationToken cancellationToken)
    {
        using var request = Request(ChatRequests.Stream);
        var started = time.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchException($"{name}: a stream was answered HTTP {(int)response.StatusCode}: {Shown(await response.Content.ReadAsStringAsync(cancellationToken))}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body, Encoding.UTF8);
        double? firstToken = null;
        var text = new StringBuilder();
        var (done, usage) = (false, false);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || done)
            {
                continue;
            }

            if (line.AsSpan(6).SequenceEqual("[DONE]"))
            {
                done = true;
                continue;
            }

            using var chunk = JsonDocument.Parse(line.AsMemory(6));
            if (Content(chunk.RootElement) is { Length: > 0 } piece)
            {
                firstToken ??= time.GetElapsedTime(started).TotalMilliseconds;
                text.Append(piece);
            }

            usage |= chunk.RootElement.TryGetProperty("usage", out var figures) && figures.ValueKind == JsonValueKind.Object;
        }

        var whole = time.GetElapsedTime(started).TotalMilliseconds;
        if (firstToken is not { } first || !done || !usage || text.ToString() != FakeModelProvider.Reply)
        {
            throw new BenchException($"{name}: a stream ended without its whole reply, its usage chunk and [DONE] (read '{text}', done {done}, usage {usage})");
        }

        return new StreamTiming(first, whole);
    }

    private async Task<(double Elapsed, string Text)> CompleteWithBodyAsync(CancellationToken cancellationToken)
    {
        using var request = Request(ChatRequests.Complete);
        var started = time.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK || !text.Contains(FakeModelProvider.Reply, StringComparison.Ordinal))
        {
            throw new BenchException($"{name}: a chat completion was answered HTTP {(int)response.StatusCode}: {Shown(text)}");
        }

        return (elapsed, text);
    }

    private HttpRequestMessage Request(byte[] body)
    {
        Interlocked.Increment(ref _sent);
        var request = new HttpRequestMessage(HttpMethod.Post, _completions) { Content = new ByteArrayContent(body), Version = HttpVersion.Version11 };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }

    // choices[0].delta.content of a chat.completion.chunk; null for the role-less final chunk and the usage chunk.
    private static string? Content(JsonElement chunk) =>
        chunk.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0
        && choices[0].TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content)
        && content.ValueKind == JsonValueKind.String
            ? content.GetString()
            : null;

    private static string Shown(string text) => text.Length > 300 ? text[..300].ReplaceLineEndings(" ") + "…" : text.ReplaceLineEndings(" ");
}
