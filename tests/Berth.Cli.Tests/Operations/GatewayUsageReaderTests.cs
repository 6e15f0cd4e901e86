using System.Net;
using System.Text.Json;
using Berth.Cli.Commands.Bench;
using Berth.Cli.Tests.Client;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Client.Errors;
using Berth.Core.Llm;
using Berth.Core.Serialization;
using Berth.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Cli.Tests.Operations;

/// <summary>How <c>berth bench</c> reads the agent's LLM calls through the gateway, over scripted usage answers and a fake clock.</summary>
public sealed class GatewayUsageReaderTests
{
    private static readonly DateTimeOffset Since = new(2026, 3, 4, 10, 20, 30, 123, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Since.AddMinutes(1));

    private static (HttpStatusCode, string, string) Usage(UsageGroup total) => (
        HttpStatusCode.OK,
        JsonSerializer.Serialize(new UsageReport { Since = Since, By = UsageGrouping.Agent, Agent = "chat", Total = total }, BerthJson.Options),
        "application/json");

    private static (HttpStatusCode, string, string) Problem(HttpStatusCode status) =>
        (status, $$"""{"title":"{{status}}","status":{{(int)status}}}""", "application/problem+json");

    private Task<GatewayUsage?> ReadAsync(ScriptedHandler handler)
    {
        var client = new BerthClient(new Uri("http://127.0.0.1:2378"), handler, _time) { Token = "t" };
        return GatewayUsageReader.ReadAsync(client, "chat", Since, _time, TestTimeouts.Token(TestTimeouts.Quick));
    }

    /// <summary>
    /// Moves the fake clock on until <paramref name="reading"/> ends: each pause between reads passes at once, and a move made
    /// before the reader has started its pause is made again on the next check.
    /// </summary>
    private async Task<GatewayUsage?> SettleAsync(Task<GatewayUsage?> reading)
    {
        await Eventually.TrueAsync(
            () =>
            {
                _time.Advance(TimeSpan.FromMilliseconds(200));
                return reading.IsCompleted;
            },
            "the reads to end",
            TestTimeouts.Quick);
        return await reading;
    }

    [Fact]
    public async Task ReadAsync_AgentMadeCalls_AsksForItsCallsSinceTheBenchStartedAndReportsTheTotal()
    {
        var handler = new ScriptedHandler(_ => Usage(new UsageGroup { Calls = 3, CacheHits = 1, PromptTokens = 42, CachedTokens = 10, CompletionTokens = 16, Cost = 0.000252m }));

        var usage = await ReadAsync(handler);

        usage.ShouldBe(new GatewayUsage(3, 0, 1, 42, 10, 16, 58, 0.000252m));
        handler.Requests.ShouldHaveSingleItem().PathAndQuery.ShouldBe("/api/v1/usage?since=2026-03-04T10%3A20%3A30.1230000%2B00%3A00&agent=chat");
    }

    [Fact]
    public async Task ReadAsync_AgentMadeNoCalls_IsNull()
    {
        (await ReadAsync(new ScriptedHandler(_ => Usage(new UsageGroup())))).ShouldBeNull();
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task ReadAsync_TokenMayNotReadUsageOrNoUsageRoute_IsNullQuietly(HttpStatusCode status)
    {
        (await ReadAsync(new ScriptedHandler(_ => Problem(status)))).ShouldBeNull();
    }

    [Fact]
    public async Task ReadAsync_ServerError_Throws()
    {
        var failure = await Should.ThrowAsync<BerthApiException>(() => ReadAsync(new ScriptedHandler(_ => Problem(HttpStatusCode.InternalServerError))));

        failure.Status.ShouldBe(500, "the bench notes it on stderr and reports the load without the gateway line");
    }

    [Fact]
    public async Task ReadAsync_CallsStillInFlight_ReadsAgainOnceTheyAreSettled()
    {
        var answers = new Queue<UsageGroup>(
        [
            new UsageGroup { Calls = 2, InFlight = 1, PromptTokens = 21, CachedTokens = 5, CompletionTokens = 8, Cost = 0.00012625m },
            new UsageGroup { Calls = 2, PromptTokens = 42, CachedTokens = 10, CompletionTokens = 16, Cost = 0.0002525m },
        ]);
        var handler = new ScriptedHandler(_ => Usage(answers.Dequeue()));

        var usage = await SettleAsync(ReadAsync(handler));

        usage.ShouldBe(new GatewayUsage(2, 0, 0, 42, 10, 16, 58, 0.0002525m));
        handler.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task ReadAsync_CallNeverSettles_GivesUpAfterAFewReadsWithItInFlight()
    {
        var handler = new ScriptedHandler(_ => Usage(new UsageGroup { Calls = 1, InFlight = 1 }));

        (await SettleAsync(ReadAsync(handler))).ShouldBe(new GatewayUsage(1, 1, 0, 0, 0, 0, 0, 0m));
        handler.Requests.Count.ShouldBe(6, "one read and five more while the call is in flight");
    }
}
