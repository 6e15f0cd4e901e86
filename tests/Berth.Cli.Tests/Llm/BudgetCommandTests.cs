using System.Globalization;
using System.Text.Json;
using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client;
using Berth.Core.Llm;
using Berth.Core.Serialization;
using Berth.Testing;

namespace Berth.Cli.Tests.Llm;

/// <summary><c>berth budgets set|ls|rm</c> against a real server, and what a budget shows after an agent's call through the gateway.</summary>
[Collection(ServerGroup.Name)]
public sealed class BudgetCommandTests(ServerFixture server) : IAsyncLifetime
{
    private readonly string _agent = $"bg{Guid.NewGuid():N}"[..14];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Harness().RunAsync("budgets", "rm", _agent, "--period", "day");
        await Harness().RunAsync("budgets", "rm", _agent, "--period", "month");
    }

    private CliHarness Harness()
    {
        var harness = new CliHarness();
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        return harness;
    }

    private async Task<CliResult> RunOkAsync(params string[] args)
    {
        var result = await Harness().RunAsync(args);
        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        return result;
    }

    private async Task<List<BudgetStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var result = await Harness().RunAsync(["budgets", "ls", _agent, "-o", "json"], cancellationToken);
        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        return JsonSerializer.Deserialize<List<BudgetStatus>>(result.Out, BerthJson.Options)!;
    }

    private string[] Row(CliResult table, string period) =>
        table.Out.Split('\n').Single(line => line.StartsWith($"{_agent} ", StringComparison.Ordinal) && line.Contains($" {period} ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Set_AsTheBudgetExceededProblemSaysWithLimits_LsShowsItInTheTableAndJson()
    {
        var day = await RunOkAsync("budgets", "set", _agent, "--period", "day", "--tokens", "2000000", "--cost", "12.50");
        await RunOkAsync("budgets", "set", _agent, "--period", "month", "--tokens", "50000000");
        var table = await RunOkAsync("budgets", "ls", _agent);
        var budgets = await ListAsync(TestTimeouts.Token());

        day.Out.Trim().ShouldBe($"budget/{_agent}/day set");
        day.Err.ShouldContain("today: tokens 0/2000000, cost 0/12.5; resets at ");
        table.Out.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["AGENT", "PERIOD", "TOKENS", "COST", "RESETS"]);
        budgets.Select(b => b.Budget.Period).ShouldBe([BudgetPeriod.Day, BudgetPeriod.Month]);
        var daily = budgets[0];
        (daily.Budget.Agent, daily.Budget.MaxTokens, daily.Budget.MaxCost, daily.UsedTokens, daily.UsedCost).ShouldBe((_agent, (long?)2_000_000, (decimal?)12.50m, 0L, 0m));
        (daily.ResetsAt.Offset, daily.ResetsAt.TimeOfDay).ShouldBe((TimeSpan.Zero, TimeSpan.Zero), "a day budget resets at midnight UTC");
        Row(table, "day").ShouldBe([_agent, "day", "0/2000000", "0/12.5", Iso(daily.ResetsAt)]);
        var monthly = budgets[1];
        (monthly.Budget.MaxTokens, monthly.Budget.MaxCost).ShouldBe(((long?)50_000_000, (decimal?)null));
        (monthly.ResetsAt.Day, monthly.ResetsAt.TimeOfDay).ShouldBe((1, TimeSpan.Zero), "a month budget resets on the first");
        Row(table, "month").ShouldBe([_agent, "month", "0/50000000", "-", Iso(monthly.ResetsAt)], "no cost limit is '-'");
    }

    [Fact]
    public async Task Set_AgainForTheSamePeriod_ReplacesTheLimits()
    {
        await RunOkAsync("budgets", "set", _agent, "--period", "day", "--tokens", "1000");
        await RunOkAsync("budgets", "set", _agent, "--period", "day", "--cost", "3");

        var budget = (await ListAsync(TestTimeouts.Token())).ShouldHaveSingleItem().Budget;

        (budget.MaxTokens, budget.MaxCost).ShouldBe(((long?)null, (decimal?)3m), "the second set replaced the first, it did not merge");
    }

    [Theory]
    [InlineData(new[] { "--period", "day" }, "pass --tokens, --cost or both")]
    [InlineData(new[] { "--tokens", "1000" }, "--period")]
    [InlineData(new[] { "--period", "week", "--tokens", "1000" }, "week")]
    [InlineData(new[] { "--period", "day", "--tokens", "0" }, "--tokens must be 1 or more")]
    [InlineData(new[] { "--period", "day", "--cost", "0" }, "--cost must be more than 0")]
    [InlineData(new[] { "--period", "day", "--cost", "1,5" }, "is not a cost")]
    public async Task Set_WithoutALimitOrWithABadValue_IsAUsageErrorAndSetsNothing(string[] options, string said)
    {
        var result = await Harness().RunAsync(["budgets", "set", _agent, .. options]);

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain(said);
        (await ListAsync(TestTimeouts.Token())).ShouldBeEmpty();
    }

    [Fact]
    public async Task Rm_Budget_RemovesThatPeriodOnly()
    {
        await RunOkAsync("budgets", "set", _agent, "--period", "day", "--tokens", "1000");
        await RunOkAsync("budgets", "set", _agent, "--period", "month", "--tokens", "10000");

        var removed = await RunOkAsync("budgets", "rm", _agent, "--period", "day");

        removed.Out.Trim().ShouldBe($"budget/{_agent}/day removed");
        (await ListAsync(TestTimeouts.Token())).ShouldHaveSingleItem().Budget.Period.ShouldBe(BudgetPeriod.Month);
    }

    [Fact]
    public async Task Rm_MissingBudget_ExitsNotFound()
    {
        var result = await Harness().RunAsync("budgets", "rm", _agent, "--period", "month");

        result.ExitCode.ShouldBe(ExitCodes.NotFound, result.ToString());
        result.Err.ShouldContain($"'{_agent}' has no month budget");
    }

    [Fact]
    public async Task Ls_NoBudgets_SaysHowToSetOne()
    {
        var result = await RunOkAsync("budgets", "ls", _agent);

        result.Out.ShouldBeEmpty();
        result.Err.ShouldContain("berth budgets set AGENT --period day|month");
    }

    [Fact]
    public async Task Ls_AfterAnAgentsCallThroughTheGateway_ShowsTheTokensAndCostItUsed()
    {
        using var client = new BerthClient(new Uri(server.Url)) { Token = server.AdminToken };
        await using var agent = await LlmCallingAgent.StartAsync(client, _agent);
        // Limits well above what a call reserves at its estimate (its prompt plus the most it may answer), so the call is let through.
        await RunOkAsync("budgets", "set", _agent, "--period", "day", "--tokens", "1000000", "--cost", "100");

        var call = await RunOkAsync("call", _agent, "/cgi-bin/llm");

        call.Out.ShouldContain("chat.completion", customMessage: "the agent's call went through the gateway to the provider");
        // The call is settled with what it used just after the agent has its answer; until then it counts at its estimate.
        var budget = (await Eventually.MatchAsync(
            ListAsync, budgets => budgets is [{ UsedTokens: LlmCallingAgent.TokensPerCall }], "the call to be settled with its tokens")).Single();
        budget.UsedCost.ShouldBe(LlmCallingAgent.CostPerCall);
        budget.RemainingTokens.ShouldBe(1_000_000 - LlmCallingAgent.TokensPerCall);
        var table = await RunOkAsync("budgets", "ls", _agent);
        Row(table, "day")[2..4].ShouldBe(["29/1000000", "0.000126/100"]);
    }
}
