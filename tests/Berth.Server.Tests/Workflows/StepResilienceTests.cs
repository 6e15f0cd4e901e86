using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Server.Hosting;
using Berth.Server.Workflows.Resilience;
using Berth.Testing;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace Berth.Server.Tests.Workflows;

public sealed class StepResilienceTests
{
    private static readonly StepRetrySpec QuickRetry = new() { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

    [Fact]
    public async Task Retry_TransientTwiceThenSuccess_FinishesOnAttemptThree()
    {
        var resilience = Create();
        var attempts = 0;

        var result = await resilience.For(Step(QuickRetry), attemptsMade: 0, target: null, _ => default).ExecuteAsync(_ =>
        {
            attempts++;
            return attempts < 3 ? throw new StepRunException(ErrorClass.Transient, "flaky") : ValueTask.FromResult("ok");
        }, TestTimeouts.Token());

        result.ShouldBe("ok");
        attempts.ShouldBe(3);
    }

    [Fact]
    public async Task Retry_UserError_IsNotRetried()
    {
        var resilience = Create();
        var attempts = 0;

        var failure = await Should.ThrowAsync<StepRunException>(async () => await resilience.For(Step(QuickRetry), 0, null, _ => default).ExecuteAsync(_ =>
        {
            attempts++;
            return Fail(ErrorClass.User, "exit 1");
        }, TestTimeouts.Token()));

        failure.Class.ShouldBe(ErrorClass.User);
        attempts.ShouldBe(1);
    }

    [Fact]
    public async Task Retry_ResumedAfterTwoAttempts_MakesOnlyTheLastOne()
    {
        var resilience = Create();
        var attempts = 0;

        await Should.ThrowAsync<StepRunException>(async () => await resilience.For(Step(QuickRetry), attemptsMade: 2, null, _ => default).ExecuteAsync(_ =>
        {
            attempts++;
            return Fail(ErrorClass.Transient, "still down");
        }, TestTimeouts.Token()));

        attempts.ShouldBe(1);
    }

    [Fact]
    public async Task Timeout_SlowAttempt_IsCancelledAndClassifiedTimeout()
    {
        var resilience = Create();
        var step = Step(null) with { Timeout = TimeSpan.FromMilliseconds(50) };
        var cancelled = false;

        var failure = await Should.ThrowAsync<Exception>(async () => await resilience.For(step, 0, null, _ => default).ExecuteAsync(async token =>
        {
            try
            {
                await Task.Delay(TestTimeouts.Quick, token);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
        }, TestTimeouts.Token()));

        cancelled.ShouldBeTrue();
        StepErrors.Classify(failure).ShouldBe(ErrorClass.Timeout);
    }

    [Fact]
    public async Task CircuitBreaker_AfterConfiguredFailures_FailsFastWithoutCalling_OtherTargetsUnaffected()
    {
        var breakers = new CircuitBreakers(Options(failures: 3), TimeProvider.System);
        var resilience = new StepResilience(breakers, TimeProvider.System);
        var calls = 0;
        for (var i = 0; i < 3; i++)
        {
            await Should.ThrowAsync<StepRunException>(async () => await resilience.For(Step(null), 0, "agent:down", _ => default).ExecuteAsync(_ =>
            {
                calls++;
                return Fail(ErrorClass.Transient, "503");
            }, TestTimeouts.Token()));
        }

        var open = await Should.ThrowAsync<BrokenCircuitException>(async () =>
            await resilience.For(Step(null), 0, "agent:down", _ => default).ExecuteAsync(_ => { calls++; return ValueTask.CompletedTask; }, TestTimeouts.Token()));

        calls.ShouldBe(3);
        StepErrors.Classify(open).ShouldBe(ErrorClass.CircuitOpen);
        breakers.States().ShouldContain(("agent:down", CircuitState.Open));
        await resilience.For(Step(null), 0, "agent:up", _ => default).ExecuteAsync(_ => ValueTask.CompletedTask, TestTimeouts.Token());
    }

    [Fact]
    public async Task CircuitBreaker_UserErrors_DoNotOpenIt()
    {
        var breakers = new CircuitBreakers(Options(failures: 2), TimeProvider.System);
        var resilience = new StepResilience(breakers, TimeProvider.System);
        for (var i = 0; i < 4; i++)
        {
            await Should.ThrowAsync<StepRunException>(async () => await resilience.For(Step(null), 0, "agent:picky", _ => default)
                .ExecuteAsync(_ => Fail(ErrorClass.User, "400"), TestTimeouts.Token()));
        }

        breakers.States().ShouldContain(("agent:picky", CircuitState.Closed));
    }

    private static ValueTask Fail(ErrorClass errorClass, string message) => throw new StepRunException(errorClass, message);

    private static StepResilience Create() => new(new CircuitBreakers(Options(failures: 5), TimeProvider.System), TimeProvider.System);

    private static IOptions<BerthOptions> Options(int failures) => Microsoft.Extensions.Options.Options.Create(new BerthOptions
    {
        Workflows = new BerthOptions.WorkflowSettings
        {
            CircuitBreaker = new BerthOptions.CircuitBreakerSettings { Failures = failures, Window = TimeSpan.FromMinutes(1), BreakDuration = TimeSpan.FromMinutes(1) },
        },
    });

    private static StepSpec Step(StepRetrySpec? retry) => new()
    {
        Id = "s",
        
        Agent = new AgentStepSpec { Name = "a" },
        Retry = retry,
    };
}
