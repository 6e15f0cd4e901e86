using System.Globalization;
using System.Text.Json;
using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client;
using Berth.Core.Llm;
using Berth.Core.Serialization;
using Berth.Testing;

namespace Berth.Cli.Tests.Llm;

/// <summary>
/// <c>berth budgets set|ls|rm</c> of agents' budgets against a real server, how the command line names a budget, and what a budget
/// shows after an agent's call through the gateway. Workflows' budgets: <see cref="WorkflowBudgetCommandTests"/>.
/// </summary>
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

    private CliHarness Harness() => server.Admin();

    private Task<CliResult> RunOkAsync(params string[] args) => Harness().RunOkAsync(args);

    private async Task<List<BudgetStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var result = await Harness().RunAsync(["budgets", "ls", _agent, "-o", "json"], cancellationToken);
        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        return JsonSerializer.Deserialize<List<BudgetStatus>>(result.Out, BerthJson.Options)!;
    }

    private string[] Row(CliResult table, string period) =>
        table.Out.Split('\n').Single(line => line.StartsWith($"agent/{_agent} ", StringComparison.Ordinal) && line.Contains($" {period} ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Set_AsTheBudgetExceededProblemSaysWithLimits_LsShowsItInTheTableAndJson()
    {
        var day = await RunOkAsync("budgets", "set", $"agent/{_agent}", "--period", "day", "--tokens", "2000000", "--cost", "12.50");
        await RunOkAsync("budgets", "set", $"agent/{_agent}", "--period", "month", "--tokens", "50000000");
        var table = await RunOkAsync("budgets", "ls", $"agent/{_agent}");
        var budgets = await ListAsync(TestTimeouts.Token());

        day.Out.Trim().ShouldBe($"budget/agent/{_agent}/day set");
        day.Err.ShouldContain("today: tokens 0/2000000, cost 0/12.5; resets at ");
        table.Out.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["BUDGET", "PERIOD", "TOKENS", "COST", "RESETS"], "no RUN column without a per-run budget");
        budgets.Select(b => b.Budget.Period).ShouldBe([BudgetPeriod.Day, BudgetPeriod.Month]);
        var daily = budgets[0];
        (daily.Budget.Scope, daily.Budget.Name, daily.Budget.MaxTokens, daily.Budget.MaxCost, daily.UsedTokens, daily.UsedCost)
            .ShouldBe((BudgetScope.Agent, _agent, (long?)2_000_000, (decimal?)12.50m, 0L, 0m));
        var dayEnd = daily.ResetsAt.ShouldNotBeNull("a day budget has a window that ends");
        (dayEnd.Offset, dayEnd.TimeOfDay).ShouldBe((TimeSpan.Zero, TimeSpan.Zero), "a day budget resets at midnight UTC");
        Row(table, "day").ShouldBe([$"agent/{_agent}", "day", "0/2000000", "0/12.5", Iso(dayEnd)]);
        var monthly = budgets[1];
        (monthly.Budget.MaxTokens, monthly.Budget.MaxCost).ShouldBe(((long?)50_000_000, (decimal?)null));
        var monthEnd = monthly.ResetsAt.ShouldNotBeNull("a month budget has a window that ends");
        (monthEnd.Day, monthEnd.TimeOfDay).ShouldBe((1, TimeSpan.Zero), "a month budget resets on the first");
        Row(table, "month").ShouldBe([$"agent/{_agent}", "month", "0/50000000", "-", Iso(monthEnd)], "no cost limit is '-'");
    }

    [Fact]
    public async Task Set_BareName_IsTheAgentsBudgetAsBeforeWorkflowsHadBudgets()
    {
        var set = await RunOkAsync("budgets", "set", _agent, "--period", "day", "--tokens", "1000");
        var bare = await ListAsync(TestTimeouts.Token());
        var prefixed = await RunOkAsync("budgets", "ls", $"agent/{_agent}", "-o", "json");

        set.Out.Trim().ShouldBe($"budget/agent/{_agent}/day set");
        bare.ShouldHaveSingleItem().Budget.Subject.ShouldBe($"agent/{_agent}");
        JsonSerializer.Deserialize<List<BudgetStatus>>(prefixed.Out, BerthJson.Options).ShouldBe(bare, "ls NAME and ls agent/NAME list the same budgets");
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

    [Theory]
    [InlineData("set", "{0}")]
    [InlineData("set", "agent/{0}")]
    [InlineData("rm", "{0}")]
    public async Task SetOrRm_AgentWithPeriodRun_IsAUsageErrorNamingTheWorkflowForm(string verb, string name)
    {
        string[] limits = verb == "set" ? ["--tokens", "1000"] : [];

        var result = await Harness().RunAsync(["budgets", verb, string.Format(CultureInfo.InvariantCulture, name, _agent), "--period", "run", .. limits]);

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
        result.Err.ShouldContain("--period run is for a workflow's budget");
        result.Err.ShouldContain($"'berth budgets {verb} workflow/{_agent} --period run'", customMessage: "the error names the fix");
        (await ListAsync(TestTimeouts.Token())).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("team/{0}", "'team' is not a budget's scope")]
    [InlineData("agents/{0}", "'agents' is not a budget's scope")]
    [InlineData("workflow/", "'' is not a workflow's name")]
    [InlineData("workflow/Nightly_Job", "'Nightly_Job' is not a workflow's name")]
    [InlineData("agent/a/b", "'a/b' is not an agent's name")]
    [InlineData("agent/Reviewer", "'Reviewer' is not an agent's name")]
    public async Task SetLsRm_BadName_IsAUsageErrorSayingWhatIsWrongAndTheForms(string name, string said)
    {
        var text = string.Format(CultureInfo.InvariantCulture, name, _agent);

        var set = await Harness().RunAsync("budgets", "set", text, "--period", "day", "--tokens", "1000");
        var ls = await Harness().RunAsync("budgets", "ls", text);
        var rm = await Harness().RunAsync("budgets", "rm", text, "--period", "day");

        foreach (var result in new[] { set, ls, rm })
        {
            result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
            result.Err.ShouldContain(string.Format(CultureInfo.InvariantCulture, said, _agent));
            result.Err.ShouldContain("write AGENT, agent/AGENT or workflow/WORKFLOW");
        }
    }

    [Fact]
    public async Task Rm_Budget_RemovesThatPeriodOnly()
    {
        await RunOkAsync("budgets", "set", _agent, "--period", "day", "--tokens", "1000");
        await RunOkAsync("budgets", "set", _agent, "--period", "month", "--tokens", "10000");

        var removed = await RunOkAsync("budgets", "rm", _agent, "--period", "day");

        removed.Out.Trim().ShouldBe($"budget/agent/{_agent}/day removed");
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
        result.Err.ShouldContain($"agent/{_agent} has no budgets; set one with 'berth budgets set agent/{_agent} --period day|month --tokens N'");
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
