using System.Net;
using System.Net.Http.Json;
using System.Text;
using Berth.Client.Contracts;
using Berth.Core.Llm;
using Berth.Core.Serialization;
using Berth.Core.Workflows.Runs;
using Berth.Server.Llm;
using Berth.Server.Tests.Workflows;
using Berth.Testing;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Tests.Llm;

/// <summary>
/// Budgets of workflows: the calls agents make for a workflow's steps (attributed by the token Berth mints for each step) count
/// against the workflow's budget per run, or over all its runs in a day or month. A call past it is refused with 429 before it
/// goes out, so the step fails instead of spending; the next run starts with its per-run budget whole.
/// </summary>
public sealed class LlmWorkflowBudgetTests(LlmGatewayFixture fixture) : IClassFixture<LlmGatewayFixture>
{
    // The agent's call is estimated at about 121 tokens (86 bytes / 4 plus max_tokens 100) and uses 29: one call fits in 140,
    // a second never does.
    private const long RoomForOneCall = 140;

    [Fact]
    public async Task PerRunBudget_SecondCallOfARunRefused_NextRunStartsWhole()
    {
        var (agent, workflow) = await DeployAsync();
        await SetAsync(workflow, "run", new BudgetRequest { MaxTokens = RoomForOneCall });
        var json = $$"""{ "name": "{{workflow}}", "steps": [ {{GatewayCallingAgent.Step("ask", agent)}}, {{GatewayCallingAgent.Step("again", agent, after: "ask")}} ] }""";
        var workflows = new WorkflowClient(fixture.Server.Http);
        var sent = fixture.Primary.Calls.Count;

        var first = await workflows.RunAsync(workflow, json);
        var second = await workflows.WaitAsync((await workflows.StartAsync(workflow)).Id);

        foreach (var run in new[] { first, second })
        {
            run.State.ShouldBe(RunState.Failed);
            var steps = run.Steps!.ToDictionary(s => s.Id);
            steps["ask"].State.ShouldBe(StepState.Succeeded, "each run starts with its per-run budget whole");
            steps["again"].Failure.ShouldNotBeNull().Message.ShouldContain("429");
        }

        (fixture.Primary.Calls.Count - sent).ShouldBe(2, "a refused call never reaches the provider");
        var usage = await UsageAsync(workflow);
        (usage.Groups.ShouldHaveSingleItem().Key, usage.Total.Calls, usage.Total.TotalTokens).ShouldBe((workflow, 2L, 58L));
        var status = (await ListAsync(workflow)).ShouldHaveSingleItem();
        (status.Budget.Period, status.RunId, status.UsedTokens, status.RemainingTokens, status.ResetsAt).ShouldBe((BudgetPeriod.Run, second.Id, 29L, 111L, (DateTimeOffset?)null));
    }

    [Fact]
    public async Task DailyBudget_CountsEveryRunOfTheWorkflow()
    {
        var (agent, workflow) = await DeployAsync();
        await SetAsync(workflow, "day", new BudgetRequest { MaxTokens = RoomForOneCall });
        var workflows = new WorkflowClient(fixture.Server.Http);
        var json = $$"""{ "name": "{{workflow}}", "steps": [ {{GatewayCallingAgent.Step("ask", agent)}} ] }""";

        var first = await workflows.RunAsync(workflow, json);
        var second = await workflows.WaitAsync((await workflows.StartAsync(workflow)).Id);

        first.State.ShouldBe(RunState.Succeeded);
        second.State.ShouldBe(RunState.Failed, "the day's budget is shared by all the workflow's runs");
        var status = (await ListAsync(workflow)).ShouldHaveSingleItem();
        (status.UsedTokens, status.RunId).ShouldBe((29L, (string?)null));
        status.ResetsAt.ShouldNotBeNull().ShouldBe(LlmBudget.WindowEnd(BudgetPeriod.Day, DateTimeOffset.UtcNow), TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task PerRunBudget_TooSmallForAnyCall_StepFailsAndNothingIsRecordedOrSent()
    {
        var (agent, workflow) = await DeployAsync();
        await SetAsync(workflow, "run", new BudgetRequest { MaxTokens = 10 });
        var sent = fixture.Primary.Calls.Count;

        var run = await new WorkflowClient(fixture.Server.Http).RunAsync(workflow, $$"""{ "name": "{{workflow}}", "steps": [ {{GatewayCallingAgent.Step("ask", agent)}} ] }""");

        run.State.ShouldBe(RunState.Failed);
        fixture.Primary.Calls.Count.ShouldBe(sent);
        var report = await fixture.Server.Http.GetFromJsonAsync<UsageReport>($"/api/v1/usage?since=1h&workflow={workflow}", BerthJson.Options, TestTimeouts.Token());
        report!.Total.Calls.ShouldBe(0, "a refused call is not recorded as made");
    }

    [Fact]
    public async Task Refusal_OfAPerRunBudget_NamesTheWorkflowRunAndHowToRaiseItWithoutRetryAfter()
    {
        var context = new DefaultHttpContext();
        var budget = new LlmBudget { Scope = BudgetScope.Workflow, Name = "research", Period = BudgetPeriod.Run, MaxTokens = 1000 };
        var refusal = new BudgetRefusal
        {
            Status = new BudgetStatus { Budget = budget, RunId = "r-1", UsedTokens = 900 }, EstimatedTokens = 150, EstimatedCost = 0m, ByCost = false,
        };

        var problem = LlmProblems.OverBudget(context, refusal, DateTimeOffset.UtcNow).ProblemDetails;

        problem.Status.ShouldBe(StatusCodes.Status429TooManyRequests);
        problem.Detail.ShouldBe(
            "Workflow 'research''s per-run token budget of 1000 has 100 left in run 'r-1'; this call may use up to 150 (its prompt and max_tokens). " +
            "The call was not sent. Run 'r-1' cannot make more calls of this size; an operator can raise it with 'berth budgets set workflow/research --period run' for the runs to come.");
        (problem.Extensions["scope"], problem.Extensions["name"], problem.Extensions["period"], problem.Extensions["run"]).ShouldBe(("workflow", "research", "run", "r-1"));
        problem.Extensions["resetsAt"].ShouldBeNull();
        context.Response.Headers.RetryAfter.ShouldBeEmpty("retrying cannot help a run whose budget is spent");
    }

    [Theory]
    [InlineData("agents/some-agent/run", "a per-run budget is set on a workflow")]
    [InlineData("agents/some-agent/week", "period must be day or month")]
    [InlineData("workflows/some-flow/week", "period must be run (each run of the workflow), day or month")]
    [InlineData("workflows/Not_A_Name/run", "is not a workflow name")]
    public async Task SetBudget_BadScopeOrPeriod_400NamingIt(string path, string says)
    {
        using var response = await fixture.Server.Http.PutAsync(
            $"/api/v1/budgets/{path}", new StringContent("{\"maxTokens\":10}", Encoding.UTF8, "application/json"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain(says);
    }

    private async Task<(string Agent, string Workflow)> DeployAsync()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        return (await GatewayCallingAgent.DeployAsync(fixture, endpoint), $"wf{Guid.NewGuid():N}"[..12]);
    }

    private async Task SetAsync(string workflow, string period, BudgetRequest request)
    {
        using var response = await fixture.Server.Http.PutAsJsonAsync($"/api/v1/budgets/workflows/{workflow}/{period}", request, BerthJson.Options, TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<List<BudgetStatus>> ListAsync(string workflow) =>
        (await fixture.Server.Http.GetFromJsonAsync<List<BudgetStatus>>($"/api/v1/budgets?workflow={workflow}", BerthJson.Options, TestTimeouts.Token()))!;

    private Task<UsageReport> UsageAsync(string workflow) => Eventually.MatchAsync(
        async ct => (await fixture.Server.Http.GetFromJsonAsync<UsageReport>($"/api/v1/usage?since=1h&by=workflow&workflow={workflow}", BerthJson.Options, ct))!,
        report => report.Total.InFlight == 0,
        last => $"calls stayed in flight: {last?.Total.InFlight}");
}
