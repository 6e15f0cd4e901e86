using Berth.Core.Agents;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Server.Plugins.Execution;
using Berth.Server.Plugins.Pools;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Plugins;

/// <summary>Warm pools on a real server: growing under held calls, shrinking after the idle timeout, and a version removed mid-call. Asserted from the pool's events.</summary>
public sealed class PluginPoolTests(PluginServerFixture fixture) : IClassFixture<PluginServerFixture>
{
    private static readonly PluginCaller Caller = new("token:test");

    private IServiceProvider Services => fixture.Server.Server.Services;

    private PluginInvoker Invoker => Services.GetRequiredService<PluginInvoker>();

    [Fact]
    public async Task Invoke_MoreHeldCallsThanSlots_GrowsThePoolToMaxInstancesThenShrinksToMinWarmWhenIdle()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture, "  pool: { minWarm: 0, maxInstances: 2, concurrency: 1, idleTimeout: 1s }");
        var release = PluginInvokerTests.HoldFile();
        try
        {
            var first = Invoker.InvokeAsync(plugin.Id, PluginInvokerTests.Inputs("one", new() { ["hold"] = release }), Caller, TestTimeouts.Token());
            await Eventually.TrueAsync(() => Load(plugin).InFlight == 1, "the first call to hold a slot");
            var second = Invoker.InvokeAsync(plugin.Id, PluginInvokerTests.Inputs("two words", new() { ["hold"] = release }), Caller, TestTimeouts.Token());
            await Eventually.TrueAsync(() => Load(plugin).InFlight == 2, "the second call to hold a slot on a second instance");
            File.WriteAllText(release, "");
            var results = await Task.WhenAll(first, second);

            results.Select(r => r.Outputs["wordCount"]!.GetValue<int>()).ShouldBe([1, 2]);
            await Services.GetRequiredService<PluginInvocationLog>().FlushAsync(TestTimeouts.Token());
            var invocations = await Services.GetRequiredService<IPluginStore>().ListInvocationsAsync(plugin.Id, 10, TestTimeouts.Token());
            invocations.Select(i => i.InstanceId).Distinct().Count().ShouldBe(2, "each held call had an instance of its own");
            var scaled = await Eventually.MatchAsync(
                ct => ScaledAsync(plugin, ct), e => e.Count >= 3, last => $"the pool to grow to 1, then 2, and shrink to 0 after 1s idle; scaled so far: {string.Join(", ", last ?? [])}");
            scaled.ShouldBe(["from 0 to 1", "from 1 to 2", "from 2 to 0"]);
            await Eventually.TrueAsync(async ct => (await Services.GetRequiredService<IInstanceStore>().ListAsync(plugin.Pool, ct)).Count == 0, "the idle instances to stop");
        }
        finally
        {
            File.WriteAllText(release, "");
        }
    }

    [Fact]
    public async Task Invoke_VersionRemovedMidCall_FailsCleanlyAndGivesItsSlotBack()
    {
        var plugin = await InvokedPlugin.InstallAsync(fixture, "  pool: { maxInstances: 1 }");
        var release = PluginInvokerTests.HoldFile();
        try
        {
            var held = Invoker.InvokeAsync(plugin.Id, PluginInvokerTests.Inputs("held", new() { ["hold"] = release }), Caller, TestTimeouts.Token());
            await Eventually.TrueAsync(() => Load(plugin).InFlight == 1, "the call to hold the only slot");
            var waiting = Invoker.InvokeAsync(plugin.Id, PluginInvokerTests.Inputs("waits"), Caller, TestTimeouts.Token());
            await Eventually.TrueAsync(() => Load(plugin).Waiting == 1, "the second call to wait for a slot");

            await plugin.RemoveAsync();

            var heldFailure = await Should.ThrowAsync<PluginCallException>(() => held);
            var waitingFailure = await Should.ThrowAsync<PluginCallException>(() => waiting);
            (heldFailure.Class, heldFailure.Failure).ShouldBe((ErrorClass.Config, PluginCallFailure.NotInstalled));
            heldFailure.Message.ShouldContain("was removed during the call");
            (waitingFailure.Class, waitingFailure.Failure).ShouldBe((ErrorClass.Config, PluginCallFailure.NotInstalled));
            Load(plugin).ShouldBe((0, 0), "no slot is left taken and no call left waiting");
        }
        finally
        {
            File.WriteAllText(release, "");
            await plugin.RemoveAsync();
        }
    }

    private (int InFlight, int Waiting) Load(InvokedPlugin plugin) => Services.GetRequiredService<PluginPoolLeases>().LoadOf(plugin.Pool);

    private async Task<List<string>> ScaledAsync(InvokedPlugin plugin, CancellationToken cancellationToken) =>
        [.. (await Services.GetRequiredService<IEventStore>().ListAsync(plugin.Pool, 0, 1_000, cancellationToken))
            .Where(e => e.Reason == "Scaled")
            .Select(e => e.Message.Split(" instance", 2)[0].Replace("scaled ", "", StringComparison.Ordinal))];
}
