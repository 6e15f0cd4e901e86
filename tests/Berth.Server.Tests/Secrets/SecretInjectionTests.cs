using System.Text;
using Berth.Core.Agents;
using Berth.Core.Security;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Secrets;
using Berth.Server.Tests.Fakes;
using Berth.Server.Tests.Reconciliation;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Secrets;

/// <summary>The reconciler resolves <c>${secret:NAME}</c> at launch, hands the value to the driver only, and redacts it from what it records.</summary>
public sealed class SecretInjectionTests : IAsyncLifetime
{
    private readonly string _value = $"canary-{Guid.NewGuid():N}";
    private readonly RecordingRuntime _runtime = new();
    private readonly LogCapture _logs = new();
    private ReconcilerHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ReconcilerHarness.CreateAsync(_runtime, _logs);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Launch_MixedTextAndReference_DriverGetsTheValue_RecordsGetTheName()
    {
        await _harness.Services.GetRequiredService<SecretVault>().SetAsync("api", Encoding.UTF8.GetBytes(_value), TestTimeouts.Token());
        await ApplyAsync("Bearer ${secret:api}; again ${secret:api}");

        await PassAsync();

        var launch = _runtime.Launches.ShouldHaveSingleItem();
        launch.Environment["API_KEY"].ShouldBe($"Bearer {_value}; again {_value}");
        launch.Environment["PLAIN"].ShouldBe("text");
        launch.Spec.Env["API_KEY"].ShouldBe("Bearer ${secret:api}; again ${secret:api}");
        var instance = (await InstancesAsync()).ShouldHaveSingleItem();
        instance.State.ShouldBe(InstanceState.Failed);
        instance.Message!.ShouldContain("API_KEY=Bearer [redacted:api]");
        var events = string.Join('\n', (await EventsAsync()).Select(e => e.Message));
        events.ShouldContain("[redacted:api]");
        events.ShouldNotContain(_value);
        instance.Message!.ShouldNotContain(_value);
        _logs.Text.ShouldContain("[redacted:api]");
        _logs.Text.ShouldNotContain(_value);
        (await _harness.Services.GetRequiredService<IAgentStore>().GetAsync("echo", TestTimeouts.Token()))!.Spec.Env["API_KEY"].ShouldStartWith("Bearer ${secret:api}");
    }

    [Fact]
    public async Task Launch_SecretMissing_InstanceFailsWithTheCommandToFixIt()
    {
        await ApplyAsync("${secret:never-set}");

        await PassAsync();

        _runtime.Launches.ShouldBeEmpty();
        var instance = (await InstancesAsync()).ShouldHaveSingleItem();
        instance.State.ShouldBe(InstanceState.Failed);
        instance.Message!.ShouldContain("secret never-set is missing: berth secrets set never-set");
    }

    [Fact]
    public async Task Launch_SecretEncryptedWithAnotherKey_FailsClearly_NeverGarbage()
    {
        var foreign = new SecretCipher(SecretKey.Generate()).Encrypt("moved", Encoding.UTF8.GetBytes(_value));
        await _harness.Services.GetRequiredService<ISecretStore>().SetAsync("moved", foreign, TestTimeouts.Token());
        await ApplyAsync("${secret:moved}");

        await PassAsync();

        _runtime.Launches.ShouldBeEmpty();
        var instance = (await InstancesAsync()).ShouldHaveSingleItem();
        instance.State.ShouldBe(InstanceState.Failed);
        instance.Message!.ShouldContain("secret moved was encrypted with another key");
    }

    [Fact]
    public async Task Launch_Files_WholeReferenceGetsTheStoredBytes_MixedTextGetsUtf8()
    {
        byte[] binary = [0x00, 0xFF, 0x10, 0x80, 0x7F];
        var vault = _harness.Services.GetRequiredService<SecretVault>();
        await vault.SetAsync("cert", binary, TestTimeouts.Token());
        await vault.SetAsync("api", Encoding.UTF8.GetBytes(_value), TestTimeouts.Token());
        await ApplyAsync("plain", new Dictionary<string, string> { ["cert.der"] = "${secret:cert}", ["conf/app.ini"] = "key=${secret:api}\nmode=ünï" });

        await PassAsync();

        var launch = _runtime.Launches.ShouldHaveSingleItem();
        launch.Files["cert.der"].ShouldBe(binary);
        Encoding.UTF8.GetString(launch.Files["conf/app.ini"]).ShouldBe($"key={_value}\nmode=ünï");
        launch.Spec.Files["conf/app.ini"].ShouldBe("key=${secret:api}\nmode=ünï");
    }

    [Fact]
    public async Task Launch_BinarySecretInsideText_FailsSayingToGiveItAFileOfItsOwn()
    {
        await _harness.Services.GetRequiredService<SecretVault>().SetAsync("cert", [0xFF, 0xFE], TestTimeouts.Token());
        await ApplyAsync("plain", new Dictionary<string, string> { ["app.ini"] = "cert=${secret:cert}" });

        await PassAsync();

        _runtime.Launches.ShouldBeEmpty();
        (await InstancesAsync()).ShouldHaveSingleItem().Message!.ShouldContain(
            "secret cert is not UTF-8 text, so it cannot be used inside text; give it a file of its own (content exactly ${secret:cert})");
    }

    private Task<ApplyResult> ApplyAsync(string apiKey, Dictionary<string, string>? files = null) =>
        _harness.Services.GetRequiredService<IAgentStore>().ApplyAsync(
            new AgentSpec
            {
                Name = "echo",
                Process = new ProcessSpec { Command = "/bin/true" },
                Env = new Dictionary<string, string> { ["API_KEY"] = apiKey, ["PLAIN"] = "text" },
                Files = files ?? [],
            },
            TestTimeouts.Token());

    private Task PassAsync() => _harness.PassAsync();

    private Task<IReadOnlyList<InstanceRecord>> InstancesAsync() =>
        _harness.Services.GetRequiredService<IInstanceStore>().ListAsync("echo", TestTimeouts.Token());

    private Task<IReadOnlyList<AgentEvent>> EventsAsync() =>
        _harness.Services.GetRequiredService<IEventStore>().ListAsync("echo", 0, 100, TestTimeouts.Token());
}
