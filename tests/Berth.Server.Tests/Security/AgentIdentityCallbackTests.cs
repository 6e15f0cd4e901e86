using Berth.Core.Specs;
using Berth.Server.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;

namespace Berth.Server.Tests.Security;

/// <summary>BERTH_URL as each kind of agent reaches the server, from the address the server bound first.</summary>
public sealed class AgentIdentityCallbackTests
{
    [Theory]
    [InlineData("http://127.0.0.1:41234", AgentKind.Process, "http://127.0.0.1:41234/")]
    [InlineData("http://0.0.0.0:2378", AgentKind.Process, "http://127.0.0.1:2378/")]
    [InlineData("http://[::]:2378", AgentKind.Process, "http://127.0.0.1:2378/")]
    [InlineData("http://+:2378", AgentKind.Process, "http://127.0.0.1:2378/")]
    [InlineData("http://localhost:2378", AgentKind.Process, "http://127.0.0.1:2378/")]
    [InlineData("https://10.1.2.3:8443", AgentKind.Process, "https://10.1.2.3:8443/")]
    [InlineData("http://0.0.0.0:2378", AgentKind.Container, "http://host.docker.internal:2378/")]
    [InlineData("https://127.0.0.1:8443", AgentKind.Container, "https://host.docker.internal:8443/")]
    public void For_BoundAddress_GivesWhatTheAgentCanReach(string bound, AgentKind kind, string expected) =>
        new AgentCallback(new FakeServer(bound), new FakeLifetime(started: true)).For(kind).ShouldBe(new Uri(expected));

    [Theory]
    [InlineData("http://127.0.0.1:2378", true)]
    [InlineData("http://[::1]:2378", true)]
    [InlineData("http://0.0.0.0:2378", false)]
    [InlineData("http://172.17.0.1:2378", false)]
    public void LoopbackOnly_BoundAddress_TellsWhetherContainersAreShutOut(string bound, bool expected) =>
        new AgentCallback(new FakeServer(bound), new FakeLifetime(started: true)).LoopbackOnly.ShouldBe(expected);

    [Fact]
    public void For_ServerNotListeningYet_IsPendingWithNoUrl()
    {
        var callback = new AgentCallback(new FakeServer("http://127.0.0.1:0"), new FakeLifetime(started: false));

        callback.Pending.ShouldBeTrue();
        callback.For(AgentKind.Process).ShouldBeNull();
    }

    [Fact]
    public void For_NoHttpServer_IsNotPendingAndHasNoUrl()
    {
        var callback = new AgentCallback();

        callback.Pending.ShouldBeFalse();
        callback.For(AgentKind.Process).ShouldBeNull();
    }

    private sealed class FakeServer : IServer
    {
        public FakeServer(string address)
        {
            var addresses = new ServerAddressesFeature();
            addresses.Addresses.Add(address);
            Features.Set<IServerAddressesFeature>(addresses);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }

    private sealed class FakeLifetime(bool started) : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted { get; } = new(started);

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
