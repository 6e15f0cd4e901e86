using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Berth.Core.Plugins;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Server.Plugins.Execution;
using Berth.Server.Workflows.Resilience;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;

namespace Berth.Server.Tests.Plugins;

/// <summary>The plugin invoker against the real text-analysis process plugin on a real server: outputs, error classes, records, retries, breaker.</summary>
public sealed class PluginInvokerTests(PluginServerFixture fixture) : IClassFixture<PluginServerFixture>
{
    private static readonly PluginCaller Caller = new("token:test");

    private PluginInvoker Invoker => fixture.Server.Server.Services.GetRequiredService<PluginInvoker>();

    [Fact]
    public async Task InvokeAsync_InstalledPlugin_StartsAnInstanceReturnsCheckedOutputsAndRecordsTheCall()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);

        var result = await Invoker.InvokeAsync(plugin.Id, Inputs("one two three"), Caller with { RunId = "run-1", StepId = "count" }, TestTimeouts.Token());

        result.Outputs["wordCount"]!.GetValue<int>().ShouldBe(3);
        result.Outputs["characterCount"]!.GetValue<int>().ShouldBe(13);
        result.Plugin.Version.ShouldBe("1.0.0");
        result.Provider.ShouldBe($"plugin:{plugin.Reference}");
        result.Attempts.ShouldBe(1);
        var recorded = (await InvocationsAsync(plugin.Id)).ShouldHaveSingleItem();
        recorded.Id.ShouldBe(result.InvocationId);
        recorded.Outcome.ShouldBe(PluginOutcome.Succeeded);
        recorded.Caller.ShouldBe("token:test");
        (recorded.RunId, recorded.StepId).ShouldBe(("run-1", "count"));
        recorded.InstanceId.ShouldNotBeNullOrEmpty("the record names the instance that answered");
        recorded.ErrorClass.ShouldBeNull();
    }

    [Fact]
    public async Task InvokeAsync_RangeNoInstalledVersionMatches_FailsConfigNamingTheReferenceAndTheInstalledVersions()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);

        var failure = await Should.ThrowAsync<PluginCallException>(() => Invoker.InvokeAsync($"{plugin.Id}@^2", Inputs("x"), Caller, TestTimeouts.Token()));

        failure.Class.ShouldBe(ErrorClass.Config);
        failure.Failure.ShouldBe(PluginCallFailure.NotInstalled);
        failure.Message.ShouldContain($"{plugin.Id}@^2");
        failure.Message.ShouldContain("1.0.0");
        failure.InvocationId.ShouldBeNull("nothing was called, so nothing is recorded");
    }

    [Fact]
    public async Task InvokeAsync_UnknownPlugin_FailsConfigSayingItIsNotInstalled()
    {
        var failure = await Should.ThrowAsync<PluginCallException>(() => Invoker.InvokeAsync(TestPlugins.NewId(), Inputs("x"), Caller, TestTimeouts.Token()));

        failure.Class.ShouldBe(ErrorClass.Config);
        failure.Message.ShouldContain("is not installed");
    }

    [Fact]
    public async Task InvokeAsync_InputsMissingARequiredField_FailsUserNamingTheFieldBeforeAnyCall()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);

        var failure = await Should.ThrowAsync<PluginCallException>(() => Invoker.InvokeAsync(plugin.Id, new JsonObject { ["txt"] = "a" }, Caller, TestTimeouts.Token()));

        failure.Class.ShouldBe(ErrorClass.User);
        failure.Failure.ShouldBe(PluginCallFailure.InvalidInputs);
        failure.Message.ShouldContain("inputs.text: required");
        failure.Attempts.ShouldBe(0);
        var recorded = (await InvocationsAsync(plugin.Id)).ShouldHaveSingleItem();
        (recorded.Id, recorded.Outcome, recorded.ErrorClass).ShouldBe((failure.InvocationId, PluginOutcome.Failed, "user"));
        recorded.InstanceId.ShouldBeNull();
    }

    [Fact]
    public async Task InvokeAsync_PluginAnswersFailure_FailsWithItsOwnClassAndMessage()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);

        var failure = await Should.ThrowAsync<PluginCallException>(() => Invoker.InvokeAsync(plugin.Id, Inputs("x", new() { ["fail"] = "rate-limited" }), Caller, TestTimeouts.Token()));

        failure.Failure.ShouldBe(PluginCallFailure.PluginError);
        failure.PluginErrorClass.ShouldBe("rate-limited");
        failure.Class.ShouldBe(ErrorClass.User, "a class the engine does not know is the work's own failure");
        failure.Message.ShouldContain("failed on purpose");
        failure.Attempts.ShouldBe(1, "a user failure is not retried");
        (await InvocationsAsync(plugin.Id)).ShouldHaveSingleItem().ErrorClass.ShouldBe("rate-limited");
    }

    [Fact]
    public async Task InvokeAsync_SucceededAndFailedCalls_EachMeasuredOnTheCallDurationHistogramWithItsOutcome()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);
        var measured = new System.Collections.Concurrent.ConcurrentQueue<(double Seconds, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Berth.Server.Observability.BerthTelemetry.Name && instrument.Name == "berth.plugin.call.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var named = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                named[tag.Key] = tag.Value;
            }

            if (Equals(named.GetValueOrDefault("berth.plugin"), plugin.Reference))
            {
                measured.Enqueue((value, named));
            }
        });
        listener.Start();

        await Invoker.InvokeAsync(plugin.Id, Inputs("one two"), Caller, TestTimeouts.Token());
        await Should.ThrowAsync<PluginCallException>(() => Invoker.InvokeAsync(plugin.Id, Inputs("x", new() { ["fail"] = "rate-limited" }), Caller, TestTimeouts.Token()));

        measured.Count.ShouldBe(2);
        measured.ShouldAllBe(m => m.Seconds > 0);
        measured.Select(m => m.Tags["berth.outcome"]).ShouldBe(["succeeded", "failed"]);
        measured.First().Tags.ContainsKey("berth.error_class").ShouldBeFalse();
        measured.Last().Tags["berth.error_class"].ShouldBe("rate-limited");
    }

    [Fact]
    public async Task InvokeAsync_OutputsBreakTheSchema_FailsNamingTheField()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);

        var failure = await Should.ThrowAsync<PluginCallException>(() => Invoker.InvokeAsync(plugin.Id, Inputs("a b", new() { ["outputs"] = "invalid" }), Caller, TestTimeouts.Token()));

        failure.Failure.ShouldBe(PluginCallFailure.InvalidOutputs);
        failure.Class.ShouldBe(ErrorClass.User);
        failure.Message.ShouldContain("outputs.wordCount");
    }

    [Fact]
    public async Task InvokeAsync_PluginAnswers5xx_IsRetriedThenFailsTransient()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);
        var failing = Inputs("x", new() { ["status"] = 503 });

        var retried = await Should.ThrowAsync<PluginCallException>(() => Invoker.InvokeAsync(plugin.Id, failing, Caller, TestTimeouts.Token()));
        var once = await Should.ThrowAsync<PluginCallException>(() => Invoker.InvokeAsync(plugin.Id, failing, Caller with { Retry = false }, TestTimeouts.Token()));

        (retried.Class, retried.Failure, retried.Attempts).ShouldBe((ErrorClass.Transient, PluginCallFailure.Unreachable, 3));
        retried.Message.ShouldContain("503");
        once.Attempts.ShouldBe(1, "a caller that retries itself gets one attempt");
    }

    [Fact]
    public async Task InvokeAsync_AfterRepeatedTransientFailures_TheBreakerOpensAndFailsFastWithoutACall()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);
        var failing = Inputs("x", new() { ["status"] = 500 });
        var oneAttempt = Caller with { Retry = false };
        for (var i = 0; i < 5; i++)
        {
            (await Should.ThrowAsync<PluginCallException>(() => Invoker.InvokeAsync(plugin.Id, failing, oneAttempt, TestTimeouts.Token()))).Class.ShouldBe(ErrorClass.Transient);
        }

        var refused = await Should.ThrowAsync<PluginCallException>(() => Invoker.InvokeAsync(plugin.Id, Inputs("fine"), oneAttempt, TestTimeouts.Token()));

        (refused.Class, refused.Failure, refused.Attempts).ShouldBe((ErrorClass.CircuitOpen, PluginCallFailure.BreakerOpen, 0));
        fixture.Server.Server.Services.GetRequiredService<CircuitBreakers>().StateOf($"plugin:{plugin.Reference}").ShouldBe(CircuitState.Open);
        (await InvocationsAsync(plugin.Id)).Count.ShouldBe(6);
    }

    [Fact]
    public async Task InvokeAsync_CallLongerThanTheCallersTimeout_FailsTimeout()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);
        var release = HoldFile();
        try
        {
            await Invoker.InvokeAsync(plugin.Id, Inputs("warm"), Caller, TestTimeouts.Token());

            var failure = await Should.ThrowAsync<PluginCallException>(() => Invoker.InvokeAsync(
                plugin.Id, Inputs("x", new() { ["hold"] = release }), Caller with { Retry = false, Timeout = TimeSpan.FromSeconds(1) }, TestTimeouts.Token()));

            (failure.Class, failure.Failure).ShouldBe((ErrorClass.Timeout, PluginCallFailure.Timeout));
            failure.Message.ShouldContain("the caller's timeout");
        }
        finally
        {
            File.WriteAllText(release, "");
        }
    }

    [Fact]
    public async Task InvokeAsync_EverySlotHeldUntilTheDeadline_FailsUnavailableNamingThePool()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture, "  pool: { maxInstances: 1, concurrency: 1 }");
        var release = HoldFile();
        try
        {
            var held = Invoker.InvokeAsync(plugin.Id, Inputs("held", new() { ["hold"] = release }), Caller, TestTimeouts.Token());
            await Eventually.TrueAsync(async ct => (await InvocationsAsync(plugin.Id)).Count == 0 && HeldCalls(plugin) == 1, "the held call to take the only slot");

            var failure = await Should.ThrowAsync<PluginCallException>(() => Invoker.InvokeAsync(
                plugin.Id, Inputs("x"), Caller with { Timeout = TimeSpan.FromSeconds(1) }, TestTimeouts.Token()));

            (failure.Class, failure.Failure, failure.Attempts).ShouldBe((ErrorClass.Transient, PluginCallFailure.Unavailable, 1));
            failure.Message.ShouldContain("1 at most");
            File.WriteAllText(release, "");
            (await held).Outputs["wordCount"]!.GetValue<int>().ShouldBe(1);
        }
        finally
        {
            File.WriteAllText(release, "");
        }
    }

    private int HeldCalls(InvokedPlugin plugin) =>
        fixture.Server.Server.Services.GetRequiredService<Berth.Server.Reconciliation.InstanceDirectory>().Find(plugin.Pool) is { } route
            ? route.Healthy.Sum(route.Outstanding)
            : 0;

    private async Task<IReadOnlyList<PluginInvocation>> InvocationsAsync(string id)
    {
        await fixture.Server.Server.Services.GetRequiredService<PluginInvocationLog>().FlushAsync(TestTimeouts.Token());
        return await fixture.Server.Server.Services.GetRequiredService<IPluginStore>().ListInvocationsAsync(id, 100, TestTimeouts.Token());
    }

    /// <summary>A file path no one has written yet: a held call answers once it exists.</summary>
    internal static string HoldFile() => Path.Combine(Path.GetTempPath(), $"berth-hold-{Guid.NewGuid():N}");

    internal static JsonObject Inputs(string text, JsonObject? test = null) =>
        test is null ? new JsonObject { ["text"] = text } : new JsonObject { ["text"] = text, ["test"] = test };
}
