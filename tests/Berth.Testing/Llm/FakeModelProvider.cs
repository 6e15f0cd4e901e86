using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Testing.Llm;

/// <summary>
/// An OpenAI- and Anthropic-compatible model server on 127.0.0.1 for tests and benchmarks: it answers chat completions,
/// responses, embeddings and messages, streamed or not, in the providers' shapes with fixed usage figures, and keeps every call
/// it received. <see cref="Answer"/> makes it answer a status instead (a 503, a 429), to drive retries and failover.
/// </summary>
public sealed class FakeModelProvider : IAsyncDisposable
{
    /// <summary>The text every answer carries, split into <see cref="Chunks"/> pieces when streamed.</summary>
    public const string Reply = "Hello from the fake provider.";

    private static readonly string[] Chunks = ["Hello ", "from ", "the ", "fake ", "provider."];

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeProviderCall> _calls = new();

    private FakeModelProvider(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's root, <c>http://127.0.0.1:PORT</c>: Anthropic's base URL.</summary>
    public Uri Address { get; }

    /// <summary>OpenAI's base URL: <see cref="Address"/> plus <c>/v1</c>.</summary>
    public string OpenAIBaseUrl => $"{Address.ToString().TrimEnd('/')}/v1";

    /// <summary>Anthropic's base URL: <see cref="Address"/>.</summary>
    public string AnthropicBaseUrl => Address.ToString().TrimEnd('/');

    /// <summary>Prompt tokens every answer reports, cached ones included. Default 21.</summary>
    public long PromptTokens { get; set; } = 21;

    /// <summary>Prompt tokens every answer reports as read from the prompt cache. Default 5.</summary>
    public long CachedTokens { get; set; } = 5;

    /// <summary>Completion tokens every answer reports. Default 8.</summary>
    public long CompletionTokens { get; set; } = 8;

    /// <summary>When set, a status to answer instead of a completion (with a provider-style error body); null answers normally.</summary>
    public HttpStatusCode? Answer { get; set; }

    /// <summary>Whether calls are kept for <see cref="Calls"/>. Default true; a benchmark turns it off, as they pile up.</summary>
    public bool KeepCalls { get; set; } = true;

    /// <summary>Every call received, in order (while <see cref="KeepCalls"/>).</summary>
    public IReadOnlyList<FakeProviderCall> Calls => [.. _calls];

    public static async Task<FakeModelProvider> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeModelProvider? provider = null;
        app.Run(context => provider!.ServeAsync(context));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider = new FakeModelProvider(app, new Uri(address));
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ServeAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        if (KeepCalls)
        {
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
            _calls.Enqueue(new FakeProviderCall(context.Request.Path, headers, text));
        }

        if (Answer is { } status)
        {
            context.Response.StatusCode = (int)status;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["message"] = $"fake provider answers {(int)status}", ["type"] = "fake" } });
            return;
        }

        var body = text.Length > 0 ? JsonNode.Parse(text) as JsonObject ?? [] : [];
        var model = body["model"]?.GetValue<string>() ?? "unknown";
        var stream = body["stream"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True;
        switch (context.Request.Path.Value)
        {
            case "/v1/chat/completions" when stream:
                await StreamChatAsync(context, model, body["stream_options"]?["include_usage"]?.GetValue<bool>() == true);
                break;
            case "/v1/chat/completions":
                await context.Response.WriteAsJsonAsync(ChatCompletion(model));
                break;
            case "/v1/responses" when stream:
                await StreamResponseAsync(context, model);
                break;
            case "/v1/responses":
                await context.Response.WriteAsJsonAsync(Response(model));
                break;
            case "/v1/embeddings":
                await context.Response.WriteAsJsonAsync(Embeddings(model));
                break;
            case "/v1/messages" when stream:
                await StreamMessageAsync(context, model);
                break;
            case "/v1/messages":
                await context.Response.WriteAsJsonAsync(Message(model));
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }

    private JsonObject OpenAIUsage() => new()
    {
        ["prompt_tokens"] = PromptTokens,
        ["completion_tokens"] = CompletionTokens,
        ["total_tokens"] = PromptTokens + CompletionTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = CachedTokens },
    };

    private JsonObject ChatCompletion(string model) => new()
    {
        ["id"] = "chatcmpl-fake",
        ["object"] = "chat.completion",
        ["created"] = 1_700_000_000,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = Reply },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = OpenAIUsage(),
    };

    private async Task StreamChatAsync(HttpContext context, string model, bool includeUsage)
    {
        context.Response.ContentType = "text/event-stream";
        JsonObject Chunk(JsonArray choices) => new()
        {
            ["id"] = "chatcmpl-fake", ["object"] = "chat.completion.chunk", ["created"] = 1_700_000_000, ["model"] = model, ["choices"] = choices,
        };
        for (var i = 0; i < Chunks.Length; i++)
        {
            var delta = i == 0 ? new JsonObject { ["role"] = "assistant", ["content"] = Chunks[i] } : new JsonObject { ["content"] = Chunks[i] };
            await SendEventAsync(context, null, Chunk(new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = null })));
        }

        await SendEventAsync(context, null, Chunk(new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = new JsonObject(), ["finish_reason"] = "stop" })));
        if (includeUsage)
        {
            var last = Chunk([]);
            last["usage"] = OpenAIUsage();
            await SendEventAsync(context, null, last);
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    // The Responses API's stream: response.created, a text delta per chunk, and response.completed carrying the usage.
    private async Task StreamResponseAsync(HttpContext context, string model)
    {
        context.Response.ContentType = "text/event-stream";
        var sequence = 0;
        var started = Response(model);
        (started["status"], started["output"], started["usage"]) = ("in_progress", new JsonArray(), null);
        await SendEventAsync(context, "response.created", new JsonObject { ["type"] = "response.created", ["sequence_number"] = sequence++, ["response"] = started });
        foreach (var chunk in Chunks)
        {
            await SendEventAsync(context, "response.output_text.delta", new JsonObject
            {
                ["type"] = "response.output_text.delta", ["sequence_number"] = sequence++, ["item_id"] = "msg_fake", ["output_index"] = 0,
                ["content_index"] = 0, ["delta"] = chunk, ["logprobs"] = new JsonArray(),
            });
        }

        await SendEventAsync(context, "response.completed", new JsonObject { ["type"] = "response.completed", ["sequence_number"] = sequence, ["response"] = Response(model) });
    }

    private JsonObject Response(string model) => new()
    {
        ["id"] = "resp_fake",
        ["object"] = "response",
        ["created_at"] = 1_700_000_000,
        ["status"] = "completed",
        ["model"] = model,
        ["output"] = new JsonArray(new JsonObject
        {
            ["type"] = "message", ["id"] = "msg_fake", ["status"] = "completed", ["role"] = "assistant",
            ["content"] = new JsonArray(new JsonObject { ["type"] = "output_text", ["text"] = Reply, ["annotations"] = new JsonArray() }),
        }),
        ["usage"] = new JsonObject
        {
            ["input_tokens"] = PromptTokens,
            ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = CachedTokens },
            ["output_tokens"] = CompletionTokens,
            ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
            ["total_tokens"] = PromptTokens + CompletionTokens,
        },
    };

    private JsonObject Embeddings(string model) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray(new JsonObject { ["object"] = "embedding", ["index"] = 0, ["embedding"] = new JsonArray(0.25, -0.5, 0.75) }),
        ["model"] = model,
        ["usage"] = new JsonObject { ["prompt_tokens"] = PromptTokens, ["total_tokens"] = PromptTokens },
    };

    // Anthropic reports uncached input, cache reads and cache writes apart; this one writes nothing to its cache.
    private JsonObject AnthropicUsage(long output) => new()
    {
        ["input_tokens"] = PromptTokens - CachedTokens,
        ["cache_read_input_tokens"] = CachedTokens,
        ["cache_creation_input_tokens"] = 0,
        ["output_tokens"] = output,
    };

    private JsonObject Message(string model) => new()
    {
        ["id"] = "msg_fake",
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = model,
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = Reply }),
        ["stop_reason"] = "end_turn",
        ["stop_sequence"] = null,
        ["usage"] = AnthropicUsage(CompletionTokens),
    };

    private async Task StreamMessageAsync(HttpContext context, string model)
    {
        context.Response.ContentType = "text/event-stream";
        var start = Message(model);
        start["content"] = new JsonArray();
        start["stop_reason"] = null;
        start["usage"] = AnthropicUsage(1);
        await SendEventAsync(context, "message_start", new JsonObject { ["type"] = "message_start", ["message"] = start });
        await SendEventAsync(context, "content_block_start", new JsonObject
        {
            ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" },
        });
        foreach (var chunk in Chunks)
        {
            await SendEventAsync(context, "content_block_delta", new JsonObject
            {
                ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = chunk },
            });
        }

        await SendEventAsync(context, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 });
        await SendEventAsync(context, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = "end_turn", ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = CompletionTokens },
        });
        await SendEventAsync(context, "message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    private static async Task SendEventAsync(HttpContext context, string? name, JsonObject data)
    {
        var text = name is null ? $"data: {data.ToJsonString()}\n\n" : $"event: {name}\ndata: {data.ToJsonString()}\n\n";
        await context.Response.WriteAsync(text);
        await context.Response.Body.FlushAsync();
    }
}
