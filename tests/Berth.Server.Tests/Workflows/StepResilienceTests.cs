using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Server.Hosting;
using Berth.Server.Workflows.Resilience;
using Berth.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;

namespace Berth.Server.Tests.Workflows;

public sealed class StepResilienceTests
{
    private static readonly StepRetrySpec QuickRetry = new() { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };
    private static readonly TimeSpan BreakDuration = TimeSpan.FromMinutes(1);

    // The timeout and the breakers read this clock; it moves only when a test advances it.
    private readonly FakeTimeProvider _clock = new();

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
        var resilience = new StepResilience(new CircuitBreakers(Options(failures: 5), _clock), _clock);
        var step = Step(null) with { Timeout = TimeSpan.FromSeconds(30) };
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = false;

        var attempt = resilience.For(step, 0, null, _ => default).ExecuteAsync(async token =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
        }, TestTimeouts.Token()).AsTask();
        await started.Task.WaitAsync(TestTimeouts.Quick);
        _clock.Advance(step.Timeout.Value);
        var failure = await Should.ThrowAsync<Exception>(() => attempt.WaitAsync(TestTimeouts.Quick));

        cancelled.ShouldBeTrue("the attempt's token was cancelled when the clock passed the step's timeout");
        StepErrors.Classify(failure).ShouldBe(ErrorClass.Timeout);
    }

    [Fact]
    public async Task CircuitBreaker_AfterConfiguredFailures_FailsFastWithoutCalling_OtherTargetsUnaffected()
    {
        var breakers = new CircuitBreakers(Options(failures: 3), _clock);
        var resilience = new StepResilience(breakers, _clock);
        var calls = await OpenAsync(resilience, "agent:down");

        var open = await Should.ThrowAsync<BrokenCircuitException>(async () =>
            await resilience.For(Step(null), 0, "agent:down", _ => default).ExecuteAsync(_ => { calls++; return ValueTask.CompletedTask; }, TestTimeouts.Token()));

        calls.ShouldBe(3);
        StepErrors.Classify(open).ShouldBe(ErrorClass.CircuitOpen);
        breakers.States().ShouldContain(("agent:down", CircuitState.Open));
        await resilience.For(Step(null), 0, "agent:up", _ => default).ExecuteAsync(_ => ValueTask.CompletedTask, TestTimeouts.Token());
    }

    [Fact]
    public async Task CircuitBreaker_BreakEnds_NextAttemptIsMadeAndClosesIt()
    {
        var breakers = new CircuitBreakers(Options(failures: 3), _clock);
        var resilience = new StepResilience(breakers, _clock);
        var calls = await OpenAsync(resilience, "agent:back");
        ValueTask Succeed(CancellationToken _)
        {
            calls++;
            return ValueTask.CompletedTask;
        }

        _clock.Advance(BreakDuration - TimeSpan.FromSeconds(1));
        await Should.ThrowAsync<BrokenCircuitException>(async () =>
            await resilience.For(Step(null), 0, "agent:back", _ => default).ExecuteAsync(Succeed, TestTimeouts.Token()));
        var callsDuringBreak = calls;
        _clock.Advance(TimeSpan.FromSeconds(1));
        await resilience.For(Step(null), 0, "agent:back", _ => default).ExecuteAsync(Succeed, TestTimeouts.Token());

        callsDuringBreak.ShouldBe(3, "no attempt reaches the target while the break lasts");
        calls.ShouldBe(4);
        breakers.States().ShouldContain(("agent:back", CircuitState.Closed));
    }

    [Fact]
    public async Task CircuitBreaker_UserErrors_DoNotOpenIt()
    {
        var breakers = new CircuitBreakers(Options(failures: 2), _clock);
        var resilience = new StepResilience(breakers, _clock);
        for (var i = 0; i < 4; i++)
        {
            await Should.ThrowAsync<StepRunException>(async () => await resilience.For(Step(null), 0, "agent:picky", _ => default)
                .ExecuteAsync(_ => Fail(ErrorClass.User, "400"), TestTimeouts.Token()));
        }

        breakers.States().ShouldContain(("agent:picky", CircuitState.Closed));
    }

    private static ValueTask Fail(ErrorClass errorClass, string message) => throw new StepRunException(errorClass, message);

    /// <summary>Fails three attempts against <paramref name="target"/> transiently, which opens a breaker set to three failures; returns the calls made.</summary>
    private static async Task<int> OpenAsync(StepResilience resilience, string target)
    {
        var calls = 0;
        for (var i = 0; i < 3; i++)
        {
            await Should.ThrowAsync<StepRunException>(async () => await resilience.For(Step(null), 0, target, _ => default).ExecuteAsync(_ =>
            {
                calls++;
                return Fail(ErrorClass.Transient, "503");
            }, TestTimeouts.Token()));
        }

        return calls;
    }

    private static StepResilience Create() => new(new CircuitBreakers(Options(failures: 5), TimeProvider.System), TimeProvider.System);

    private static IOptions<BerthOptions> Options(int failures) => Microsoft.Extensions.Options.Options.Create(new BerthOptions
    {
        Workflows = new BerthOptions.WorkflowSettings
        {
            CircuitBreaker = new BerthOptions.CircuitBreakerSettings { Failures = failures, Window = TimeSpan.FromMinutes(1), BreakDuration = BreakDuration },
        },
    });

    private static StepSpec Step(StepRetrySpec? retry) => new()
    {
        Id = "s",
        
        Agent = new AgentStepSpec { Name = "a" },
        Retry = retry,
    };
}
