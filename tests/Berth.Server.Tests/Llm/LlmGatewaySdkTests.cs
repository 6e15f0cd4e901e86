using System.ClientModel;
using System.Text;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;
using Berth.Testing;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Responses;

namespace Berth.Server.Tests.Llm;

/// <summary>
/// The providers' official SDKs, pointed at Berth instead of the provider (base URL swapped, a Berth token for the key), get
/// what they would get from the provider; Berth sends the provider key upstream, never the caller's token, and records each
/// call's tokens and cost exactly as the provider reported them.
/// </summary>
public sealed class LlmGatewaySdkTests(LlmGatewayFixture fixture) : IClassFixture<LlmGatewayFixture>
{
    // 21 prompt tokens of which 5 cached, 8 completion tokens, at 2.5 / 1.25 / 10 per million: (16×2.5 + 5×1.25 + 8×10) / 10⁶.
    private const decimal OpenAICost = 0.00012625m;

    // The same tokens at Anthropic's 3 / 0.3 / 15 per million: (16×3 + 5×0.3 + 8×15) / 10⁶.
    private const decimal AnthropicCost = 0.0001695m;

    [Fact]
    public async Task OpenAISdk_ChatThroughGateway_AnswersWithProviderKeyAndRecordsUsage()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (agent, token) = await fixture.AgentAsync(endpoint);
        var client = new ChatClient("fast", new ApiKeyCredential(token), OpenAIOptions(endpoint));

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Say hello")], cancellationToken: TestTimeouts.Token());

        completion.Content[0].Text.ShouldBe(Testing.Llm.FakeModelProvider.Reply);
        completion.Usage.InputTokenCount.ShouldBe(21);
        var sent = fixture.Primary.Calls.Last(c => c.Body.Contains("Say hello", StringComparison.Ordinal));
        sent.Path.ShouldBe("/v1/chat/completions");
        sent.Headers["authorization"].ShouldBe($"Bearer {fixture.Key}", "the provider key goes upstream, not the caller's token");
        JsonNode.Parse(sent.Body)!["model"]!.GetValue<string>().ShouldBe("gpt-4o-mini", "the alias is replaced by the provider's model name");
        var usage = (await fixture.UsageAsync(agent)).Total;
        usage.Calls.ShouldBe(1);
        (usage.PromptTokens, usage.CachedTokens, usage.CompletionTokens, usage.TotalTokens).ShouldBe((21L, 5L, 8L, 29L));
        usage.Cost.ShouldBe(OpenAICost);
    }

    [Fact]
    public async Task OpenAISdk_StreamedChat_PassesChunksThroughAndCountsTheUsageChunk()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (agent, token) = await fixture.AgentAsync($"{endpoint}/gpt-4o-mini");
        var client = new ChatClient("gpt-4o-mini", new ApiKeyCredential(token), OpenAIOptions(endpoint));

        var text = new StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Stream hello")], cancellationToken: TestTimeouts.Token()))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        text.ToString().ShouldBe(Testing.Llm.FakeModelProvider.Reply);
        var sent = JsonNode.Parse(fixture.Primary.Calls.Last(c => c.Body.Contains("Stream hello", StringComparison.Ordinal)).Body)!;
        sent["stream_options"]!["include_usage"]!.GetValue<bool>().ShouldBeTrue("Berth asks an OpenAI stream to report its usage");
        var usage = (await fixture.UsageAsync(agent)).Total;
        (usage.Calls, usage.PromptTokens, usage.CachedTokens, usage.CompletionTokens).ShouldBe((1L, 21L, 5L, 8L));
        usage.Cost.ShouldBe(OpenAICost);
    }

#pragma warning disable OPENAI001 // The SDK marks its Responses client as for evaluation; the gateway serves the API all the same.
    [Fact]
    public async Task OpenAISdk_Responses_AnswersAndRecordsUsage()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (agent, token) = await fixture.AgentAsync(endpoint);
        var client = new OpenAIClient(new ApiKeyCredential(token), OpenAIOptions(endpoint)).GetResponsesClient();

        var answer = await client.CreateResponseAsync("fast", "Respond hello", previousResponseId: null, TestTimeouts.Token());

        answer.Value.GetOutputText().ShouldBe(Testing.Llm.FakeModelProvider.Reply);
        fixture.Primary.Calls[^1].Path.ShouldBe("/v1/responses");
        var usage = (await fixture.UsageAsync(agent)).Total;
        (usage.Calls, usage.PromptTokens, usage.CachedTokens, usage.CompletionTokens).ShouldBe((1L, 21L, 5L, 8L));
        usage.Cost.ShouldBe(OpenAICost);
    }

    [Fact]
    public async Task OpenAISdk_StreamedResponses_PassesDeltasThroughAndCountsResponseCompleted()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (agent, token) = await fixture.AgentAsync(endpoint);
        var client = new OpenAIClient(new ApiKeyCredential(token), OpenAIOptions(endpoint)).GetResponsesClient();

        var text = new StringBuilder();
        await foreach (var update in await client.CreateResponseStreamingAsync("fast", "Stream a response", previousResponseId: null, TestTimeouts.Token()))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }
        }

        text.ToString().ShouldBe(Testing.Llm.FakeModelProvider.Reply);
        var usage = (await fixture.UsageAsync(agent)).Total;
        (usage.Calls, usage.PromptTokens, usage.CachedTokens, usage.CompletionTokens).ShouldBe((1L, 21L, 5L, 8L), "the usage of response.completed");
        usage.Cost.ShouldBe(OpenAICost);
    }
#pragma warning restore OPENAI001

    [Fact]
    public async Task OpenAISdk_Embeddings_RecordsPromptTokensOnly()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (agent, token) = await fixture.AgentAsync(endpoint);
        var client = new EmbeddingClient("text-embedding-3-small", new ApiKeyCredential(token), OpenAIOptions(endpoint));

        OpenAIEmbedding embedding = await client.GenerateEmbeddingAsync("embed me", cancellationToken: TestTimeouts.Token());

        embedding.ToFloats().Length.ShouldBe(3);
        var usage = (await fixture.UsageAsync(agent, by: "model")).Groups.ShouldHaveSingleItem();
        (usage.Key, usage.Calls, usage.PromptTokens, usage.CompletionTokens).ShouldBe(("text-embedding-3-small", 1L, 21L, 0L));
        usage.Cost.ShouldBe(0.00000042m, "21 prompt tokens, cached ones too, at the input price of 0.02 per million (no cachedInput price set)");
    }

    [Fact]
    public async Task AnthropicSdk_MessageWithTokenAsApiKey_AnswersAndRecordsUsage()
    {
        var endpoint = await fixture.AnthropicEndpointAsync(fixture.Primary);
        var (agent, token) = await fixture.AgentAsync(endpoint);
        var client = AnthropicClientFor(endpoint, token);

        var message = await client.Messages.Create(
            new MessageCreateParams { Model = "claude-sonnet-4-5", MaxTokens = 256, Messages = [new UserMessageParam("Anthropic hello")] },
            TestTimeouts.Token());

        message.Content.ShouldHaveSingleItem().TryPickText(out var text).ShouldBeTrue();
        text!.Text.ShouldBe(Testing.Llm.FakeModelProvider.Reply);
        var sent = fixture.Primary.Calls.Last(c => c.Body.Contains("Anthropic hello", StringComparison.Ordinal));
        sent.Path.ShouldBe("/v1/messages");
        sent.Headers["x-api-key"].ShouldBe(fixture.Key, "the provider key goes upstream in x-api-key, not the caller's token");
        sent.Headers.ContainsKey("anthropic-version").ShouldBeTrue();
        sent.Headers.ContainsKey("authorization").ShouldBeFalse("the caller's token stays in Berth");
        var usage = (await fixture.UsageAsync(agent)).Total;
        (usage.Calls, usage.PromptTokens, usage.CachedTokens, usage.CompletionTokens).ShouldBe((1L, 21L, 5L, 8L), "input, cache reads and output as Anthropic reported them");
        usage.Cost.ShouldBe(AnthropicCost);
    }

    [Fact]
    public async Task AnthropicSdk_StreamedMessage_PassesEventsThroughAndCountsMessageDelta()
    {
        var endpoint = await fixture.AnthropicEndpointAsync(fixture.Primary);
        var (agent, token) = await fixture.AgentAsync(endpoint);
        var client = AnthropicClientFor(endpoint, token);

        var text = new StringBuilder();
        await foreach (var streamed in client.Messages.CreateStreaming(
            new MessageCreateParams { Model = "claude-sonnet-4-5", MaxTokens = 256, Messages = [new UserMessageParam("Anthropic stream")] },
            TestTimeouts.Token()))
        {
            if (streamed.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var part))
            {
                text.Append(part.Text);
            }
        }

        text.ToString().ShouldBe(Testing.Llm.FakeModelProvider.Reply);
        var usage = (await fixture.UsageAsync(agent)).Total;
        (usage.Calls, usage.PromptTokens, usage.CachedTokens, usage.CompletionTokens).ShouldBe((1L, 21L, 5L, 8L), "message_start's input and message_delta's output");
        usage.Cost.ShouldBe(AnthropicCost);
    }

    private OpenAIClientOptions OpenAIOptions(string endpoint) => new() { Endpoint = new Uri(fixture.Server.Server.Address, $"/llm/{endpoint}/v1"), NetworkTimeout = TestTimeouts.Slow };

    private AnthropicClient AnthropicClientFor(string endpoint, string token) =>
        new() { ApiKey = token, BaseUrl = new Uri(fixture.Server.Server.Address, $"/llm/{endpoint}").ToString(), MaxRetries = 0 };
}
