using System.Text.Json;
using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Client.Errors;
using Berth.Core.Llm;
using Berth.Core.Serialization;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Testing;

namespace Berth.Cli.Tests.Llm;

/// <summary>
/// <c>berth budgets set|ls|rm workflow/NAME</c> and <c>berth usage --workflow</c> against a real server: a workflow's budget per run
/// or per UTC day or month, and what a run's calls through the gateway (made by an agent for one of its steps) count against.
/// </summary>
[Collection(ServerGroup.Name)]
public sealed class WorkflowBudgetCommandTests(ServerFixture server) : IAsyncLifetime
{
    private readonly string _workflow = $"wb{Guid.NewGuid():N}"[..14];

    private string Subject => $"workflow/{_workflow}";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var period in new[] { "run", "day", "month" })
        {
            await Harness().RunAsync("budgets", "rm", Subject, "--period", period);
        }
    }

    private CliHarness Harness() => server.Admin();

    private Task<CliResult> RunOkAsync(params string[] args) => Harness().RunOkAsync(args);

    private async Task<List<BudgetStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var result = await Harness().RunAsync(["budgets", "ls", Subject, "-o", "json"], cancellationToken);
        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        return JsonSerializer.Deserialize<List<BudgetStatus>>(result.Out, BerthJson.Options)!;
    }

    private static string[][] Rows(CliResult table) =>
        [.. table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))];

    private string[] Row(CliResult table, string period) =>
        Rows(table).Single(row => row[0] == Subject && row[1] == period);

    /// <summary>
    /// Applies the workflow with one step that asks <paramref name="agent"/> for one call through the gateway, runs it, and waits
    /// until the run succeeded; the run.
    /// </summary>
    private async Task<RunView> RunCallingTheGatewayAsync(BerthClient client, LlmCallingAgent agent)
    {
        var token = TestTimeouts.Token();
        await client.ApplyWorkflowAsync(new WorkflowSpec { Name = _workflow, Steps = [agent.Step("ask")] }, token);
        var started = await client.StartRunAsync(_workflow, null, token);
        var run = await Eventually.MatchAsync(
            ct => client.GetRunAsync(started.Id, ct), r => r.State is RunState.Succeeded or RunState.Failed or RunState.Cancelled, "the run to finish");
        run.State.ShouldBe(RunState.Succeeded, $"{run.Error}; {string.Join("; ", (run.Steps ?? []).Select(s => $"{s.Id}: {s.Failure}"))}");
        return run;
    }

    private async Task DeleteWorkflowAsync(BerthClient client)
    {
        try
        {
            await client.DeleteWorkflowAsync(_workflow, TestTimeouts.Token());
        }
        catch (BerthApiException exception) when (exception.IsNotFound)
        {
        }
    }

    [Fact]
    public async Task Set_PerRun_SaysEachRunStartsWholeAndLsShowsEachRunWithNoRunYet()
    {
        var set = await RunOkAsync("budgets", "set", Subject, "--period", "run", "--tokens", "140", "--cost", "0.5");
        var table = await RunOkAsync("budgets", "ls", Subject);
        var budget = (await ListAsync(TestTimeouts.Token())).ShouldHaveSingleItem();

        set.Out.Trim().ShouldBe($"budget/{Subject}/run set");
        set.Err.ShouldContain("no run has made LLM calls yet: tokens 0/140, cost 0/0.5; each run starts with the whole budget");
        set.Err.ShouldNotContain("resets at", customMessage: "a per-run budget never resets");
        Rows(table)[0].ShouldBe(["BUDGET", "PERIOD", "TOKENS", "COST", "RESETS", "RUN"]);
        Row(table, "run").ShouldBe([Subject, "run", "0/140", "0/0.5", "each", "run", "-"], "RESETS is 'each run'; no run has made calls");
        (budget.Budget.Scope, budget.Budget.Name, budget.Budget.Period, budget.Budget.MaxTokens, budget.Budget.MaxCost)
            .ShouldBe((BudgetScope.Workflow, _workflow, BudgetPeriod.Run, (long?)140, (decimal?)0.5m));
        (budget.ResetsAt, budget.RunId).ShouldBe(((DateTimeOffset?)null, (string?)null));
    }

    [Fact]
    public async Task Set_PerRunAndPerDay_LsOrdersByPeriodAndRmRemovesThatPeriodOnly()
    {
        await RunOkAsync("budgets", "set", Subject, "--period", "run", "--tokens", "1000");
        var day = await RunOkAsync("budgets", "set", Subject, "--period", "day", "--cost", "2");
        var table = await RunOkAsync("budgets", "ls", Subject);

        var removed = await RunOkAsync("budgets", "rm", Subject, "--period", "run");
        var again = await Harness().RunAsync("budgets", "rm", Subject, "--period", "run");

        day.Err.ShouldContain("today: tokens -, cost 0/2; resets at ", customMessage: "a workflow's day budget has a window like an agent's");
        Rows(table).Where(row => row[0] == Subject).Select(row => row[1]).ShouldBe(["day", "run"]);
        Row(table, "day")[^1].ShouldBe("-", "a calendar budget names no run");
        removed.Out.Trim().ShouldBe($"budget/{Subject}/run removed");
        (await ListAsync(TestTimeouts.Token())).ShouldHaveSingleItem().Budget.Period.ShouldBe(BudgetPeriod.Day);
        again.ExitCode.ShouldBe(ExitCodes.NotFound, again.ToString());
        again.Err.ShouldContain($"Workflow '{_workflow}' has no run budget");
    }

    [Fact]
    public async Task Ls_AfterARunsStepCalledTheGateway_ShowsThatRunsUse()
    {
        using var client = new BerthClient(new Uri(server.Url)) { Token = server.AdminToken };
        await using var agent = await LlmCallingAgent.StartAsync(client, $"wa{Guid.NewGuid():N}"[..14]);
        try
        {
            // Limits well above what a call reserves at its estimate (its prompt plus the most it may answer), so the call is let through.
            await RunOkAsync("budgets", "set", Subject, "--period", "run", "--tokens", "1000000", "--cost", "100");

            var run = await RunCallingTheGatewayAsync(client, agent);

            // The call is settled with what it used just after the agent has its answer; until then it counts at its estimate.
            var budget = (await Eventually.MatchAsync(
                ListAsync, budgets => budgets is [{ UsedTokens: LlmCallingAgent.TokensPerCall }], "the run's call to be settled with its tokens")).Single();
            (budget.RunId, budget.UsedCost, budget.RemainingTokens).ShouldBe((run.Id, LlmCallingAgent.CostPerCall, 1_000_000 - LlmCallingAgent.TokensPerCall));
            var table = await RunOkAsync("budgets", "ls", Subject);
            Row(table, "run").ShouldBe([Subject, "run", "29/1000000", "0.000126/100", "each", "run", run.Id]);
            var set = await RunOkAsync("budgets", "set", Subject, "--period", "run", "--tokens", "2000000");
            set.Err.ShouldContain($"latest run {run.Id}: tokens 29/2000000, cost -; each run starts with the whole budget");
        }
        finally
        {
            await DeleteWorkflowAsync(client);
        }
    }

    [Fact]
    public async Task Usage_ByWorkflowAfterARunsStepCalledTheGateway_CountsTheCallForTheWorkflow()
    {
        using var client = new BerthClient(new Uri(server.Url)) { Token = server.AdminToken };
        await using var agent = await LlmCallingAgent.StartAsync(client, $"wa{Guid.NewGuid():N}"[..14]);
        try
        {
            await RunCallingTheGatewayAsync(client, agent);

            var report = await Eventually.MatchAsync(
                async ct => JsonSerializer.Deserialize<UsageReport>((await Harness().RunAsync(["usage", "--workflow", _workflow, "--by", "workflow", "-o", "json"], ct)).Out, BerthJson.Options)!,
                report => report.Groups is [{ CompletionTokens: > 0 }],
                "the run's call to be settled with its tokens");
            var table = await RunOkAsync("usage", "--by", "workflow", "--workflow", _workflow);

            (report.Workflow, report.By, report.Groups[0].Key).ShouldBe((_workflow, UsageGrouping.Workflow, _workflow));
            Rows(table).ShouldBe(
            [
                ["WORKFLOW", "CALLS", "PROMPT", "CACHED", "COMPLETION", "TOTAL", "COST"],
                [_workflow, "1", "21", "5", "8", "29", "0.000126"],
                ["TOTAL", "1", "21", "5", "8", "29", "0.000126"],
            ]);
            var agentsOwn = await RunOkAsync("usage", agent.Name, "--by", "workflow");
            Rows(agentsOwn).ShouldContain(row => row[0] == _workflow && row[1] == "1", "by workflow groups an agent's calls by the workflow it made them for");
        }
        finally
        {
            await DeleteWorkflowAsync(client);
        }
    }
}
