using System.Formats.Tar;
using System.Text;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Runtime.Docker.Tests.Engine;

[RequiresDocker]
public sealed class ContainerTests(DockerFixture docker) : IClassFixture<DockerFixture>
{
    private DockerEngineClient Client => docker.Client;

    [Fact]
    public async Task GetLogsAsync_ExitedContainer_DemultiplexesBothStreamsInOrder()
    {
        var token = TestTimeouts.Token();
        var id = await docker.RunBusyboxAsync("echo out-1; echo err-1 >&2; printf 'h\\303\\251llo \\342\\234\\223\\n'; echo err-2 >&2", token);
        (await Client.WaitContainerAsync(id, WaitCondition.NotRunning, token)).StatusCode.ShouldBe(0);

        var lines = await ToListAsync(Client.GetLogsAsync(id, new LogsQuery(), token));

        lines.Where(l => l.Stream == OutputKind.Stdout).Select(l => l.Text).ShouldBe(["out-1", "héllo ✓"]);
        lines.Where(l => l.Stream == OutputKind.Stderr).Select(l => l.Text).ShouldBe(["err-1", "err-2"]);
        lines.ShouldAllBe(l => l.Time > DateTimeOffset.UtcNow.AddMinutes(-5));
        // The engine writes stdout and stderr from separate readers, so only each stream's own order is guaranteed.
        lines.Where(l => l.Stream == OutputKind.Stdout).Select(l => l.Time).ShouldBeInOrder();
        lines.Where(l => l.Stream == OutputKind.Stderr).Select(l => l.Time).ShouldBeInOrder();
    }

    [Fact]
    public async Task GetLogsAsync_TailAndSince_ReturnOnlyTheLaterLines()
    {
        var token = TestTimeouts.Token();
        var id = await docker.RunBusyboxAsync("echo early-1; echo early-2; sleep 1.2; echo late-1; echo late-2", token);
        await Client.WaitContainerAsync(id, WaitCondition.NotRunning, token);
        var all = await ToListAsync(Client.GetLogsAsync(id, new LogsQuery(), token));
        var lateTime = all.Single(l => l.Text == "late-1").Time;

        var tail = await ToListAsync(Client.GetLogsAsync(id, new LogsQuery { Tail = 1 }, token));
        var since = await ToListAsync(Client.GetLogsAsync(id, new LogsQuery { Since = lateTime.AddMilliseconds(-500) }, token));

        tail.Select(l => l.Text).ShouldBe(["late-2"]);
        since.Select(l => l.Text).ShouldBe(["late-1", "late-2"]);
    }

    [Fact]
    public async Task GetLogsAsync_Follow_ReceivesLineWrittenAfterFollowingStarted()
    {
        var token = TestTimeouts.Token();
        var id = await docker.RunBusyboxAsync("echo first; while [ ! -f /tmp/go ]; do sleep 0.1; done; echo second; sleep 30", token);
        await using var lines = Client.GetLogsAsync(id, new LogsQuery { Follow = true }, token).GetAsyncEnumerator(token);

        (await lines.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Slow)).ShouldBeTrue();
        lines.Current.Text.ShouldBe("first");
        var touch = await Client.ExecAsync(id, new ExecCreateRequest { Cmd = ["touch", "/tmp/go"] }, token);
        touch.ExitCode.ShouldBe(0);
        (await lines.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Slow)).ShouldBeTrue();

        lines.Current.Text.ShouldBe("second");
        lines.Current.Stream.ShouldBe(OutputKind.Stdout);
    }

    [Fact]
    public async Task Lifecycle_CreateStartKillRemove_ReportsStateAtEachStep()
    {
        var token = TestTimeouts.Token();
        var id = await docker.RunBusyboxAsync("sleep 60", token);

        var running = await Client.InspectContainerAsync(id, token);
        var listed = await Client.ListContainersAsync(new ContainerListQuery { Labels = [$"{DockerFixture.TestLabel}={docker.RunLabel}"] }, token);
        await Client.KillContainerAsync(id, "SIGKILL", token);
        var wait = await Client.WaitContainerAsync(id, WaitCondition.NotRunning, token);
        var exited = await Client.InspectContainerAsync(id, token);
        var stoppedAgain = await Client.StopContainerAsync(id, TimeSpan.FromSeconds(1), token);
        var removed = await Client.RemoveContainerAsync(id, force: true, removeVolumes: true, token);

        running.State.Running.ShouldBeTrue();
        running.Config.Labels![DockerFixture.TestLabel].ShouldBe(docker.RunLabel);
        listed.Select(c => c.Id).ShouldContain(id);
        wait.StatusCode.ShouldBe(137);
        exited.State.Status.ShouldBe("exited");
        exited.State.ExitCode.ShouldBe(137);
        DateTimeOffset.Parse(exited.State.FinishedAt, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(DateTimeOffset.Parse(exited.State.StartedAt, System.Globalization.CultureInfo.InvariantCulture));
        stoppedAgain.ShouldBeFalse();
        removed.ShouldBeTrue();
        (await Client.TryInspectContainerAsync(id, token)).ShouldBeNull();
        (await Client.RemoveContainerAsync(id, force: true, removeVolumes: true, token)).ShouldBeFalse();
    }

    [Fact]
    public async Task ExecAsync_Command_ReturnsBothStreamsAndExitCode()
    {
        var token = TestTimeouts.Token();
        var id = await docker.RunBusyboxAsync("sleep 60", token);

        var result = await Client.ExecAsync(id, new ExecCreateRequest { Cmd = ["sh", "-c", "echo to-out; echo to-err >&2; exit 7"] }, token);

        result.ExitCode.ShouldBe(7);
        result.Stdout.ShouldBe("to-out\n");
        result.Stderr.ShouldBe("to-err\n");
    }

    [Fact]
    public async Task PutArchiveAsync_ThenGetArchiveAsync_RoundTripsTheFile()
    {
        var token = TestTimeouts.Token();
        var id = await docker.RunBusyboxAsync("sleep 60", token);
        using var upload = await new TarBuilder().AddFile("greeting.txt", "hello from the host\n").ToStreamAsync(token);

        await Client.PutArchiveAsync(id, "/tmp", upload, token);
        string? content = null;
        await Client.GetArchiveAsync(id, "/tmp/greeting.txt", async (stream, ct) =>
        {
            using var reader = new TarReader(stream);
            var entry = await reader.GetNextEntryAsync(copyData: true, ct);
            using var text = new StreamReader(entry!.DataStream!, Encoding.UTF8);
            content = await text.ReadToEndAsync(ct);
        }, token);
        var cat = await Client.ExecAsync(id, new ExecCreateRequest { Cmd = ["cat", "/tmp/greeting.txt"] }, token);

        content.ShouldBe("hello from the host\n");
        cat.Stdout.ShouldBe("hello from the host\n");
    }

    [Fact]
    public async Task GetStatsAsync_RunningContainer_ReportsMemoryUsage()
    {
        var token = TestTimeouts.Token();
        var id = await docker.RunBusyboxAsync("sleep 60", token);

        var stats = await Client.GetStatsAsync(id, token);

        stats.MemoryStats.Usage.ShouldBeGreaterThan(0);
        stats.MemoryStats.Limit.ShouldBeGreaterThan(0);
        stats.CpuStats.CpuUsage.TotalUsage.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task GetEventsAsync_ContainerStarts_StreamsItsStartEvent()
    {
        var token = TestTimeouts.Token();
        var filters = new Dictionary<string, IReadOnlyList<string>>
        {
            ["type"] = ["container"],
            ["event"] = ["start"],
            ["label"] = [$"{DockerFixture.TestLabel}={docker.RunLabel}"],
        };
        // From a moment before the start, so the stream holds the start event however late it attaches; others of this
        // run's containers may come first.
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var events = Client.GetEventsAsync(new EventsQuery { Filters = filters, Since = since }, token).GetAsyncEnumerator(token);
        var first = events.MoveNextAsync().AsTask();

        var id = await docker.RunBusyboxAsync("sleep 60", token);

        var more = await first.WaitAsync(TestTimeouts.Slow);
        while (more && events.Current.Actor.ID != id)
        {
            more = await events.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Slow);
        }

        more.ShouldBeTrue();
        events.Current.Action.ShouldBe("start");
        events.Current.Actor.Attributes![DockerFixture.TestLabel].ShouldBe(docker.RunLabel);
    }

    [Fact]
    public async Task Networks_CreateConnectListRemove_Work()
    {
        var token = TestTimeouts.Token();
        var name = $"berth-test-{docker.RunLabel}";
        var id = await Client.CreateNetworkAsync(new NetworkCreateRequest { Name = name, Labels = docker.Labels() }, token);
        var container = await docker.RunBusyboxAsync("sleep 60", token);

        var duplicate = await Should.ThrowAsync<DockerEngineException>(() => Client.CreateNetworkAsync(new NetworkCreateRequest { Name = name }, token));
        await Client.ConnectNetworkAsync(name, container, ["alias-one"], token);
        var attached = await Client.InspectNetworkAsync(name, token);
        var listed = await Client.ListNetworksAsync([$"{DockerFixture.TestLabel}={docker.RunLabel}"], token);
        await Client.DisconnectNetworkAsync(name, container, force: false, token);
        var detached = await Client.InspectNetworkAsync(id, token);
        var removed = await Client.RemoveNetworkAsync(id, token);

        duplicate.IsConflict.ShouldBeTrue();
        attached.Driver.ShouldBe("bridge");
        attached.Containers!.Keys.ShouldContain(container);
        listed.Select(n => n.Name).ShouldBe([name]);
        (detached.Containers ?? new Dictionary<string, NetworkContainer>()).ShouldBeEmpty();
        removed.ShouldBeTrue();
        (await Client.TryInspectNetworkAsync(name, token)).ShouldBeNull();
        (await Client.RemoveNetworkAsync(id, token)).ShouldBeFalse();
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
