using System.Net;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Runtime.Docker.Runtime;
using Berth.Testing;
using Berth.Testing.Docker;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Docker.Tests.Runtime;

[RequiresDocker]
public sealed class AgentSubnetTests(DockerFixture docker) : IClassFixture<DockerFixture>, IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly string _first = $"s{Guid.NewGuid():N}"[..12];
    private readonly string _second = $"s{Guid.NewGuid():N}"[..12];

    // a /24 of 10.213.0.0/16 of this test's own, so tests running at once on the shared engine do not meet
    private readonly int _octet = Random.Shared.Next(0, 256);

    private DockerEngineClient Client => docker.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Slow);
        foreach (var agent in (string[])[_first, _second])
        {
            await docker.RemoveLabelledAsync($"berth.agent={agent}", cts.Token);
        }

        foreach (var network in await Client.ListNetworksAsync([$"{DockerFixture.TestLabel}={docker.RunLabel}"], cts.Token))
        {
            await Client.RemoveNetworkAsync(network.Id, cts.Token);
        }
    }

    [Fact]
    public async Task PrepareAsync_AgentSubnetsSet_GivesEachAgentItsOwnBlockOfTheRangeAndTheAgentAnswers()
    {
        var token = TestTimeouts.Token();
        var range = IPNetwork.Parse($"10.213.{_octet}.0/24");
        using var runtime = CreateRuntime(range.ToString(), 28);

        await runtime.PrepareAsync(EchoSpec(_first), token);
        await runtime.PrepareAsync(EchoSpec(_second), token);
        var instance = await runtime.StartAsync(Launch(EchoSpec(_first), "a1"), token);
        using var health = await WaitForHealthAsync(new Uri(instance.Endpoint!, "health"), token);

        var first = await SubnetAsync(runtime.NetworkName(_first), token);
        var second = await SubnetAsync(runtime.NetworkName(_second), token);
        first.PrefixLength.ShouldBe(28);
        second.PrefixLength.ShouldBe(28);
        range.Contains(first.BaseAddress).ShouldBeTrue($"{first} must lie in {range}");
        range.Contains(second.BaseAddress).ShouldBeTrue($"{second} must lie in {range}");
        first.Contains(second.BaseAddress).ShouldBeFalse($"{first} and {second} must not overlap");
        second.Contains(first.BaseAddress).ShouldBeFalse($"{first} and {second} must not overlap");
        health.StatusCode.ShouldBe(HttpStatusCode.OK);
        var inspect = await Client.InspectContainerAsync(instance.NativeId!, token);
        var address = IPAddress.Parse(inspect.NetworkSettings.Networks![runtime.NetworkName(_first)].IPAddress);
        first.Contains(address).ShouldBeTrue($"the container's address {address} must lie in its network's block {first}");
    }

    [Fact]
    public async Task PrepareAsync_RangeFull_SkipsForeignNetworksThenFailsAsConfigNamingTheRange()
    {
        var token = TestTimeouts.Token();
        var range = $"10.213.{_octet}.0/28";
        var foreign = $"10.213.{_octet}.0/29";
        await Client.CreateNetworkAsync(
            new NetworkCreateRequest
            {
                Name = $"foreign-{docker.RunLabel}-{_octet}",
                Labels = docker.Labels(),
                Ipam = new NetworkIpam { Config = [new NetworkIpamConfig { Subnet = foreign }] },
            },
            token);
        using var runtime = CreateRuntime(range, 29);

        await runtime.PrepareAsync(EchoSpec(_first), token);
        var full = await Should.ThrowAsync<RuntimeException>(() => runtime.PrepareAsync(EchoSpec(_second), token));

        (await SubnetAsync(runtime.NetworkName(_first), token)).ShouldBe(IPNetwork.Parse($"10.213.{_octet}.8/29"), "the first half is another network's");
        full.Kind.ShouldBe(RuntimeErrorKind.Config);
        full.Message.ShouldContain($"agent '{_second}': no free /29 block is left in Berth:Docker:AgentSubnets ({range})");
        full.Message.ShouldContain("give Berth:Docker:AgentSubnets a larger free private range");
        (await Client.ListNetworksAsync([$"berth.agent={_second}"], token)).ShouldBeEmpty();
    }

    private DockerAgentRuntime CreateRuntime(string range, int prefix) => new(
        Client,
        Options.Create(new DockerRuntimeOptions { StopGrace = TimeSpan.FromSeconds(1), AgentSubnets = range, AgentSubnetPrefix = prefix }),
        TimeProvider.System);

    private static AgentSpec EchoSpec(string name) => new() { Name = name, Image = TestImages.EchoAgent, Port = TestImages.EchoAgentPort };

    private static InstanceLaunch Launch(AgentSpec spec, string suffix) => new()
    {
        InstanceId = $"{spec.Name}-{suffix}",
        Spec = spec,
        Ordinal = 0,
        Generation = 1,
        Environment = new Dictionary<string, string> { ["BERTH_AGENT"] = spec.Name, ["BERTH_INSTANCE"] = $"{spec.Name}-{suffix}" },
    };

    private async Task<IPNetwork> SubnetAsync(string network, CancellationToken token)
    {
        var inspect = await Client.InspectNetworkAsync(network, token);
        return IPNetwork.Parse(inspect.Ipam!.Config!.ShouldHaveSingleItem().Subnet!);
    }

    private static async Task<HttpResponseMessage> WaitForHealthAsync(Uri uri, CancellationToken token) =>
        (await Eventually.MatchAsync(
            async probe =>
            {
                try
                {
                    return await Http.GetAsync(uri, probe);
                }
                catch (HttpRequestException)
                {
                    return null; // not listening yet
                }
            },
            response => response?.StatusCode == HttpStatusCode.OK,
            $"{uri} to answer 200",
            cancellationToken: token))!;
}
