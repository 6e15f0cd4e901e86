using System.Net;
using System.Text;
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
public sealed class DockerAgentRuntimeTests(DockerFixture docker) : IClassFixture<DockerFixture>, IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly string _agent = $"t{Guid.NewGuid():N}"[..12];
    private readonly List<string> _tempDirectories = [];

    private DockerEngineClient Client => docker.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Slow);
        var byAgent = $"berth.agent={_agent}";
        await docker.RemoveLabelledAsync(byAgent, cts.Token);

        foreach (var image in await Client.ListImagesAsync([byAgent], null, cts.Token))
        {
            await Client.RemoveImageAsync(image.Id, force: true, cts.Token);
        }

        foreach (var directory in _tempDirectories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_EchoAgent_ServesHealthAndEchoOnLoopbackOnly()
    {
        var token = TestTimeouts.Token();
        var runtime = CreateRuntime();
        var spec = EchoSpec();
        await runtime.PrepareAsync(spec, token);

        var instance = await runtime.StartAsync(Launch(spec, "a1", ordinal: 2, generation: 5), token);

        instance.Status.ShouldBe(RuntimeStatus.Running);
        instance.Endpoint.ShouldNotBeNull();
        instance.Endpoint.Host.ShouldBe("127.0.0.1");
        (await WaitForHealthAsync(instance.Endpoint, token)).ShouldBe(HttpStatusCode.OK);
        using var echo = await Http.PostAsync(new Uri(instance.Endpoint, "cgi-bin/echo/sub?x=1"), new StringContent("hello body", Encoding.UTF8), token);
        var echoed = await echo.Content.ReadAsStringAsync(token);
        echoed.ShouldContain("\"method\":\"POST\"");
        echoed.ShouldContain("\"body\":\"hello body\"");
        echoed.ShouldContain("\"query\":\"x=1\"");
        echoed.ShouldContain($"\"instance\":\"{_agent}-a1\"");

        var inspect = await Client.InspectContainerAsync(instance.NativeId!, token);
        var bindings = inspect.NetworkSettings.Ports!["8000/tcp"]!;
        bindings.ShouldAllBe(b => b.HostIp == "127.0.0.1");
        inspect.Name.ShouldBe($"/berth-{_agent}-a1");
        inspect.HostConfig!.SecurityOpt!.ShouldContain("no-new-privileges");
        inspect.NetworkSettings.Networks!.Keys.ShouldBe([runtime.NetworkName(_agent)]);

        var listed = (await runtime.ListAsync(token)).Single(i => i.InstanceId == $"{_agent}-a1");
        listed.AgentName.ShouldBe(_agent);
        listed.Ordinal.ShouldBe(2);
        listed.Generation.ShouldBe(5);
        listed.Status.ShouldBe(RuntimeStatus.Running);
        listed.Endpoint.ShouldBe(instance.Endpoint);
        listed.NativeId.ShouldBe(instance.NativeId);
        listed.StartedAt.ShouldNotBeNull();

        var logs = await ReadAllAsync(runtime.ReadLogsAsync($"{_agent}-a1", new LogQuery(), token));
        logs.ShouldContain(l => l.Source == LogSource.Stdout && l.Line == TestImages.EchoAgentStdoutLine);
        logs.ShouldContain(l => l.Source == LogSource.Stderr && l.Line == TestImages.EchoAgentStderrLine);
    }

    [Fact]
    public async Task StartAsync_AfterKill_RestartsTheSameContainerAndRemoveCleansUp()
    {
        var token = TestTimeouts.Token();
        var runtime = CreateRuntime();
        var spec = EchoSpec();
        await runtime.PrepareAsync(spec, token);
        var id = $"{_agent}-b1";
        var first = await runtime.StartAsync(Launch(spec, "b1"), token);

        await Client.KillContainerAsync(first.NativeId!, "SIGKILL", token);
        await Client.WaitContainerAsync(first.NativeId!, WaitCondition.NotRunning, token);
        var killed = (await runtime.ListAsync(token)).Single(i => i.InstanceId == id);
        var again = await runtime.StartAsync(Launch(spec, "b1"), token);
        var healthAfterRestart = await WaitForHealthAsync(again.Endpoint!, token);
        var stillRunning = await runtime.StartAsync(Launch(spec, "b1"), token);
        await runtime.StopAsync(id, TimeSpan.FromSeconds(1), token);
        var stopped = (await runtime.ListAsync(token)).Single(i => i.InstanceId == id);
        await runtime.RemoveAsync(id, token);
        await runtime.RemoveAsync(id, token);
        await runtime.StopAsync(id, TimeSpan.FromSeconds(1), token);
        await runtime.RemoveAgentResourcesAsync(_agent, token);
        await runtime.RemoveAgentResourcesAsync(_agent, token);

        killed.Status.ShouldBe(RuntimeStatus.Exited);
        killed.ExitCode.ShouldBe(137);
        killed.Endpoint.ShouldBeNull();
        killed.FinishedAt.ShouldNotBeNull();
        again.Status.ShouldBe(RuntimeStatus.Running);
        again.NativeId.ShouldBe(first.NativeId);
        stillRunning.NativeId.ShouldBe(first.NativeId);
        stillRunning.StartedAt.ShouldBe(again.StartedAt);
        healthAfterRestart.ShouldBe(HttpStatusCode.OK);
        stopped.Status.ShouldBe(RuntimeStatus.Exited);
        (await runtime.ListAsync(token)).ShouldNotContain(i => i.AgentName == _agent);
        (await Client.ListContainersAsync(new ContainerListQuery { Labels = [$"berth.agent={_agent}"] }, token)).ShouldBeEmpty();
        (await Client.ListNetworksAsync([$"berth.agent={_agent}"], token)).ShouldBeEmpty();
    }

    [Fact]
    public async Task PrepareAsync_MissingImage_ThrowsConfigSayingHowToProvideIt()
    {
        var spec = EchoSpec() with { Image = $"berth-test/absent-{_agent}:1" };

        var ex = await Should.ThrowAsync<RuntimeException>(() => CreateRuntime().PrepareAsync(spec, TestTimeouts.Token()));

        ex.Kind.ShouldBe(RuntimeErrorKind.Config);
        ex.Message.ShouldContain($"image 'berth-test/absent-{_agent}:1' not found locally");
        ex.Message.ShouldContain("Berth pulls from no registry");
    }

    [Fact]
    public async Task PrepareAsync_BuildContext_BuildsOnceAndReusesTheTagAfterRestart()
    {
        var token = TestTimeouts.Token();
        var context = Directory.CreateTempSubdirectory("berth-build-").FullName;
        _tempDirectories.Add(context);
        EchoAgentContext.WriteTo(context);
        await File.WriteAllTextAsync(Path.Combine(context, "www", "marker"), _agent, token);
        await File.WriteAllTextAsync(Path.Combine(context, ".dockerignore"), "ignored.txt\n", token);
        await File.WriteAllTextAsync(Path.Combine(context, "ignored.txt"), "not sent", token);
        var spec = EchoSpec() with { Image = null, Build = new BuildSpec { Context = context } };
        var beforeFirst = DateTimeOffset.UtcNow.AddSeconds(-1);

        await CreateRuntime().PrepareAsync(spec, token);
        var afterFirst = DateTimeOffset.UtcNow.AddSeconds(1);
        await File.WriteAllTextAsync(Path.Combine(context, "ignored.txt"), "changed but ignored", token);
        await CreateRuntime().PrepareAsync(spec, token);
        var afterSecond = DateTimeOffset.UtcNow.AddSeconds(1);
        var instance = await CreateRuntime().StartAsync(Launch(spec, "c1"), token);

        var images = await Client.ListImagesAsync([$"berth.agent={_agent}"], null, token);
        var tag = images.ShouldHaveSingleItem().RepoTags.ShouldHaveSingleItem();
        tag.ShouldStartWith($"berth-build/{_agent}:");
        (await CountTagEventsAsync(tag, beforeFirst, afterFirst, token)).ShouldBe(1);
        (await CountTagEventsAsync(tag, afterFirst, afterSecond, token)).ShouldBe(0);
        (await Client.InspectContainerAsync(instance.NativeId!, token)).Config.Image.ShouldBe(tag);
        using var marker = await GetWhenHealthyAsync(new Uri(instance.Endpoint!, "marker"), token);
        (await marker.Content.ReadAsStringAsync(token)).ShouldBe(_agent);
        using var ignored = await Http.GetAsync(new Uri(instance.Endpoint!, "ignored.txt"), token);
        ignored.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ReadLogsAsync_UnknownInstance_YieldsNothing()
    {
        var logs = await ReadAllAsync(CreateRuntime().ReadLogsAsync($"{_agent}-none", new LogQuery { Follow = true }, TestTimeouts.Token()));

        logs.ShouldBeEmpty();
    }

    [Fact]
    public async Task ReadLogsAsync_Follow_EndsWhenTheInstanceIsRemoved()
    {
        var token = TestTimeouts.Token();
        var runtime = CreateRuntime();
        var spec = EchoSpec();
        var instance = await runtime.StartAsync(Launch(spec, "d1"), token);
        await WaitForHealthAsync(instance.Endpoint!, token);
        await using var follow = runtime.ReadLogsAsync($"{_agent}-d1", new LogQuery { Follow = true, Tail = 1 }, token).GetAsyncEnumerator(token);
        (await follow.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Slow)).ShouldBeTrue("the tail line: the follow is attached");

        await runtime.RemoveAsync($"{_agent}-d1", token);

        await DrainAsync(follow).WaitAsync(TestTimeouts.Slow);
    }

    [Fact]
    public async Task ReadLogsAsync_Follow_ContinuesAcrossARestartOfTheSameInstance()
    {
        var token = TestTimeouts.Token();
        var runtime = CreateRuntime();
        var spec = EchoSpec();
        var first = await runtime.StartAsync(Launch(spec, "e1"), token);
        await WaitForHealthAsync(first.Endpoint!, token);
        await using var follow = runtime.ReadLogsAsync($"{_agent}-e1", new LogQuery { Follow = true, Tail = 0 }, token).GetAsyncEnumerator(token);
        var next = follow.MoveNextAsync().AsTask();

        // Tail 0 yields only lines written after the follow attached: a request's log line arriving proves it has.
        await Eventually.TrueAsync(
            async probe =>
            {
                (await Http.GetAsync(new Uri(first.Endpoint!, "cgi-bin/echo"), probe)).Dispose();
                return next.IsCompleted;
            },
            "the follow to yield a request's line");
        (await next).ShouldBeTrue();
        await Client.KillContainerAsync(first.NativeId!, "SIGKILL", token);
        await Client.WaitContainerAsync(first.NativeId!, WaitCondition.NotRunning, token);
        await runtime.StartAsync(Launch(spec, "e1"), token);

        // Requests the probe sent before the kill may still come first; the next other line is the restarted agent's.
        do
        {
            (await follow.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Slow)).ShouldBeTrue();
        }
        while (follow.Current.Line.StartsWith(TestImages.EchoAgentRequestLinePrefix, StringComparison.Ordinal));

        follow.Current.Line.ShouldBeOneOf(TestImages.EchoAgentStdoutLine, TestImages.EchoAgentStderrLine);
        follow.Current.Time.ShouldBeGreaterThan(first.StartedAt!.Value);
    }

    private DockerAgentRuntime CreateRuntime() =>
        new(Client, Options.Create(new DockerRuntimeOptions { StopGrace = TimeSpan.FromSeconds(1) }), TimeProvider.System);

    private AgentSpec EchoSpec() => new() { Name = _agent, Image = TestImages.EchoAgent, Port = TestImages.EchoAgentPort };

    private InstanceLaunch Launch(AgentSpec spec, string suffix, int ordinal = 0, long generation = 1) => new()
    {
        InstanceId = $"{_agent}-{suffix}",
        Spec = spec,
        Ordinal = ordinal,
        Generation = generation,
        Environment = new Dictionary<string, string> { ["BERTH_AGENT"] = _agent, ["BERTH_INSTANCE"] = $"{_agent}-{suffix}" },
    };

    private async Task<int> CountTagEventsAsync(string tag, DateTimeOffset since, DateTimeOffset until, CancellationToken token)
    {
        var query = new EventsQuery
        {
            Filters = new Dictionary<string, IReadOnlyList<string>> { ["type"] = ["image"], ["event"] = ["tag"] },
            Since = since,
            Until = until,
        };
        var count = 0;
        await foreach (var engineEvent in Client.GetEventsAsync(query, token))
        {
            if (engineEvent.Actor.Attributes?.GetValueOrDefault("name") == tag)
            {
                count++;
            }
        }

        return count;
    }

    private static async Task<HttpStatusCode> WaitForHealthAsync(Uri endpoint, CancellationToken token)
    {
        using var response = await GetWhenHealthyAsync(new Uri(endpoint, "health"), token);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> GetWhenHealthyAsync(Uri uri, CancellationToken token) =>
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
            response => response is not null,
            $"{uri} to answer",
            cancellationToken: token))!;

    /// <summary>Completes when the follow ends.</summary>
    private static async Task DrainAsync(IAsyncEnumerator<LogEntry> follow)
    {
        while (await follow.MoveNextAsync())
        {
            // only the end matters
        }
    }

    private static async Task<List<LogEntry>> ReadAllAsync(IAsyncEnumerable<LogEntry> logs)
    {
        var list = new List<LogEntry>();
        await foreach (var entry in logs)
        {
            list.Add(entry);
        }

        return list;
    }
}
