using System.Net.Http.Json;
using Berth.Client.Contracts;
using Berth.Core.Llm;
using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Llm;

/// <summary>
/// A call whose server stopped while it was out is never settled. The hourly sweep marks it lost: it leaves the in-flight count,
/// but a budget keeps counting it at its estimate, since whether the provider billed it is unknown. This class has a server of
/// its own, so the sweep touches no other test's calls.
/// </summary>
public sealed class LlmReservationSweepTests(LlmGatewayFixture fixture) : IClassFixture<LlmGatewayFixture>
{
    [Fact]
    public async Task UnsettledReservation_MarkedLost_LeavesInFlightButStillCountsAgainstTheBudget()
    {
        var (agent, _) = await fixture.AgentAsync("any");
        var calls = fixture.Server.Server.Services.GetRequiredService<ILlmCallStore>();
        var now = DateTimeOffset.UtcNow;
        await fixture.Server.Http.PutAsJsonAsync($"/api/v1/budgets/agents/{agent}/day", new BudgetRequest { MaxTokens = 10_000 }, BerthJson.Options, TestTimeouts.Token());
        (await calls.RecordStartAsync(Reservation(agent, now), TestTimeouts.Token())).ShouldBeNull();

        var marked = await calls.MarkLostAsync(before: now.AddMinutes(1), now, TestTimeouts.Token());

        marked.ShouldBe(1);
        var usage = await fixture.Server.Http.GetFromJsonAsync<UsageReport>($"/api/v1/usage?since=1h&agent={agent}", BerthJson.Options, TestTimeouts.Token());
        (usage!.Total.Calls, usage.Total.InFlight).ShouldBe((1L, 0L));
        var budget = (await fixture.Server.Http.GetFromJsonAsync<List<BudgetStatus>>($"/api/v1/budgets?agent={agent}", BerthJson.Options, TestTimeouts.Token()))!;
        budget.ShouldHaveSingleItem().UsedTokens.ShouldBe(4_000, "a lost call may have been billed, so it stays counted at its estimate");
        (await calls.MarkLostAsync(before: now.AddMinutes(1), now, TestTimeouts.Token())).ShouldBe(0, "a call is marked lost once");
    }

    private static LlmCallStart Reservation(string agent, DateTimeOffset at) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        StartedAt = at,
        Endpoint = "any",
        Provider = ModelProvider.OpenAI,
        Operation = "chat",
        Model = "fast",
        UpstreamModel = "gpt-4o-mini",
        Caller = agent,
        Agent = agent,
        ReservedTokens = 4_000,
        ReservedNanos = 0,
    };
}
