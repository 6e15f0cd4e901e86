using System.Net;
using System.Net.Sockets;
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
public sealed class ContainerHardeningTests(DockerFixture docker) : IClassFixture<DockerFixture>, IAsyncLifetime
{
    // capability bit 10 in /proc/<pid>/status masks
    private const string NetBindServiceMask = "0000000000000400";
    private const string NoCapabilities = "0000000000000000";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly string _agent = $"t{Guid.NewGuid():N}"[..12];
    private readonly List<string> _tempDirectories = [];

    private DockerEngineClient Client => docker.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Slow);
        await docker.RemoveLabelledAsync($"berth.agent={_agent}", cts.Token);

        foreach (var directory in _tempDirectories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_DefaultSpec_DropsEveryCapabilityAndTheEchoAgentStillServes()
    {
        var token = TestTimeouts.Token();
        var runtime = CreateRuntime();
        var spec = EchoSpec();
        await runtime.PrepareAsync(spec, token);

        var instance = await runtime.StartAsync(Launch(spec, "a1"), token);

        (await WaitForHealthAsync(instance.Endpoint!, token)).ShouldBe(HttpStatusCode.OK);
        var host = (await Client.InspectContainerAsync(instance.NativeId!, token)).HostConfig!;
        host.CapDrop!.Select(LinuxCapabilities.Normalize).ShouldBe(["ALL"]);
        (host.CapAdd ?? []).ShouldBeEmpty();
        host.SecurityOpt!.ShouldContain("no-new-privileges");
        host.Privileged.ShouldBeFalse();
        host.ReadonlyRootfs.ShouldBeFalse();
        (host.Binds ?? []).ShouldBeEmpty();
        var status = await ExecAsync(instance.NativeId!, "cat /proc/1/status", token);
        StatusField(status.Stdout, "CapEff").ShouldBe(NoCapabilities);
        StatusField(status.Stdout, "CapBnd").ShouldBe(NoCapabilities);
        StatusField(status.Stdout, "NoNewPrivs").ShouldBe("1");
        (await ExecAsync(instance.NativeId!, "id -u", token)).Stdout.Trim().ShouldBe("0");
    }

    [Fact]
    public async Task StartAsync_SecuritySpec_AddsOnlyTheNamedCapabilityMakesRootReadOnlyAndKeepsTmpWritable()
    {
        var token = TestTimeouts.Token();
        var runtime = CreateRuntime();
        var spec = EchoSpec() with
        {
            Security = new SecuritySpec { Capabilities = new CapabilitySpec { Add = ["cap_net_bind_service"] }, ReadOnlyRootFilesystem = true },
        };
        await runtime.PrepareAsync(spec, token);

        var instance = await runtime.StartAsync(Launch(spec, "b1"), token);

        (await WaitForHealthAsync(instance.Endpoint!, token)).ShouldBe(HttpStatusCode.OK);
        var host = (await Client.InspectContainerAsync(instance.NativeId!, token)).HostConfig!;
        host.CapDrop!.Select(LinuxCapabilities.Normalize).ShouldBe(["ALL"]);
        host.CapAdd!.Select(LinuxCapabilities.Normalize).ShouldBe(["NET_BIND_SERVICE"]);
        host.ReadonlyRootfs.ShouldBeTrue();
        host.Tmpfs!.Keys.ShouldBe(["/tmp"]);
        host.Privileged.ShouldBeFalse();
        StatusField((await ExecAsync(instance.NativeId!, "cat /proc/1/status", token)).Stdout, "CapBnd").ShouldBe(NetBindServiceMask);
        var tmp = await ExecAsync(instance.NativeId!, "echo scratch > /tmp/probe && cat /tmp/probe", token);
        tmp.ExitCode.ShouldBe(0, tmp.Stderr);
        tmp.Stdout.Trim().ShouldBe("scratch");
        var root = await ExecAsync(instance.NativeId!, "echo x > /probe", token);
        root.ExitCode.ShouldNotBe(0);
        root.Stderr.ShouldContain("Read-only file system");
    }

    [Fact]
    public async Task StartAsync_RunAsUser_RunsTheAgentAsThatUser()
    {
        var token = TestTimeouts.Token();
        var runtime = CreateRuntime();
        var spec = EchoSpec() with { Security = new SecuritySpec { RunAsUser = "1000:1000" } };

        var instance = await runtime.StartAsync(Launch(spec, "c1"), token);

        (await WaitForHealthAsync(instance.Endpoint!, token)).ShouldBe(HttpStatusCode.OK);
        (await Client.InspectContainerAsync(instance.NativeId!, token)).Config.User.ShouldBe("1000:1000");
        StatusField((await ExecAsync(instance.NativeId!, "cat /proc/1/status", token)).Stdout, "Uid").ShouldStartWith("1000");
    }

    [Fact]
    public async Task PrepareAsync_HostPathLinkedToEtc_RefusesWithConfig()
    {
        var directory = TempDirectory();
        var link = Path.Combine(directory, "config");
        File.CreateSymbolicLink(link, "/etc");
        var spec = EchoSpec() with { Volumes = [new VolumeSpec { Source = link, Target = "/config", ReadOnly = true }] };

        var ex = await Should.ThrowAsync<RuntimeException>(() => CreateRuntime().PrepareAsync(spec, TestTimeouts.Token()));

        ex.Kind.ShouldBe(RuntimeErrorKind.Config);
        ex.Message.ShouldContain($"spec.volumes[0].source: {link} resolves to /etc through a symbolic link");
        ex.Message.ShouldContain("system configuration");
    }

    [Fact]
    public async Task StartAsync_LinkInAMiddleSegmentReachingTheDockerSocketDirectory_RefusesWithoutCreatingAContainer()
    {
        var directory = TempDirectory();
        File.CreateSymbolicLink(Path.Combine(directory, "system"), "/var");
        var spec = EchoSpec() with { Volumes = [new VolumeSpec { Source = Path.Combine(directory, "system", "run"), Target = "/engine" }] };

        var ex = await Should.ThrowAsync<RuntimeException>(() => CreateRuntime().StartAsync(Launch(spec, "d1"), TestTimeouts.Token()));

        ex.Kind.ShouldBe(RuntimeErrorKind.Config);
        // on many hosts /var/run itself links to /run
        var realRun = new DirectoryInfo("/var/run").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "/var/run";
        ex.Message.ShouldContain($"resolves to {realRun} through a symbolic link");
        ex.Message.ShouldContain($"would also mount {realRun}/docker.sock, which would give the agent control of the Docker engine");
        (await Client.TryInspectContainerAsync($"berth-{_agent}-d1", TestTimeouts.Token())).ShouldBeNull();
    }

    [Fact]
    public async Task PrepareAsync_UnixSocketWithAnInnocentName_IsRefusedByItsKind()
    {
        var path = Path.Combine(TempDirectory(), "data");
        using var socket = ListenOnUnixSocket(path);
        var spec = EchoSpec() with { Volumes = [new VolumeSpec { Source = path, Target = "/data" }] };

        var ex = await Should.ThrowAsync<RuntimeException>(() => CreateRuntime().PrepareAsync(spec, TestTimeouts.Token()));

        ex.Kind.ShouldBe(RuntimeErrorKind.Config);
        ex.Message.ShouldContain($"spec.volumes[0].source: {path} is a unix socket");
    }

    [Fact]
    public async Task StartAsync_DirectoryReplacedByALinkToASocketAfterPrepare_RefusesWithoutCreatingAContainer()
    {
        var token = TestTimeouts.Token();
        var directory = TempDirectory();
        var source = Path.Combine(directory, "data");
        Directory.CreateDirectory(source);
        var spec = EchoSpec() with { Volumes = [new VolumeSpec { Source = source, Target = "/data" }] };
        var runtime = CreateRuntime();
        await runtime.PrepareAsync(spec, token);
        Directory.Delete(source);
        using var socket = ListenOnUnixSocket(Path.Combine(directory, "engine.sock"));
        File.CreateSymbolicLink(source, Path.Combine(directory, "engine.sock"));

        var ex = await Should.ThrowAsync<RuntimeException>(() => runtime.StartAsync(Launch(spec, "s1"), token));

        ex.Kind.ShouldBe(RuntimeErrorKind.Config);
        ex.Message.ShouldContain($"{source} (really {directory}/engine.sock) is a unix socket");
        (await Client.TryInspectContainerAsync($"berth-{_agent}-s1", token)).ShouldBeNull();
    }

    [Theory]
    [InlineData("/usr/bin")]
    [InlineData("/lib/x86_64-linux-gnu")]
    [InlineData("/run/docker")]
    [InlineData("/run/docker/containerd/containerd.sock")]
    public async Task PrepareAsync_SystemTree_IsRefused(string source)
    {
        var spec = EchoSpec() with { Volumes = [new VolumeSpec { Source = source, Target = "/x" }] };

        var ex = await Should.ThrowAsync<RuntimeException>(() => CreateRuntime().PrepareAsync(spec, TestTimeouts.Token()));

        ex.Message.ShouldContain($"mounting {source} would");
    }

    [Theory]
    [InlineData("/var/run/docker.sock")]
    [InlineData("/")]
    [InlineData("/srv/../etc")]
    public async Task PrepareAsync_ForbiddenPathThatSkippedValidation_IsRefused(string source)
    {
        var spec = EchoSpec() with { Volumes = [new VolumeSpec { Source = source, Target = "/x" }] };

        var ex = await Should.ThrowAsync<RuntimeException>(() => CreateRuntime().PrepareAsync(spec, TestTimeouts.Token()));

        ex.Kind.ShouldBe(RuntimeErrorKind.Config);
        ex.Message.ShouldStartWith($"agent '{_agent}' spec.volumes[0].source: ");
    }

    [Fact]
    public async Task PrepareAsync_DataDirectoryDirectlyOrThroughALink_IsRefused()
    {
        var data = TempDirectory();
        var elsewhere = TempDirectory();
        var link = Path.Combine(elsewhere, "innocent");
        File.CreateSymbolicLink(link, Path.Combine(data, "secrets"));
        var runtime = CreateRuntime(data);

        var direct = await Should.ThrowAsync<RuntimeException>(() => runtime.PrepareAsync(EchoSpec() with { Volumes = [new VolumeSpec { Source = data, Target = "/d" }] }, TestTimeouts.Token()));
        var linked = await Should.ThrowAsync<RuntimeException>(() => runtime.PrepareAsync(EchoSpec() with { Volumes = [new VolumeSpec { Source = link, Target = "/d" }] }, TestTimeouts.Token()));

        direct.Message.ShouldContain("Berth's data directory");
        linked.Message.ShouldContain($"resolves to {data}/secrets through a symbolic link");
        linked.Message.ShouldContain("Berth's data directory");
    }

    [Fact]
    public async Task StartAsync_HostPathThroughALink_BindsTheRealDirectory()
    {
        var token = TestTimeouts.Token();
        var real = TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(real, "marker"), _agent, token);
        var link = Path.Combine(TempDirectory(), "data");
        File.CreateSymbolicLink(link, real);
        var spec = EchoSpec() with { Volumes = [new VolumeSpec { Source = link, Target = "/data", ReadOnly = true }] };
        var runtime = CreateRuntime();
        await runtime.PrepareAsync(spec, token);

        var instance = await runtime.StartAsync(Launch(spec, "e1"), token);

        (await Client.InspectContainerAsync(instance.NativeId!, token)).HostConfig!.Binds.ShouldBe([$"{real}:/data:ro"]);
        (await ExecAsync(instance.NativeId!, "cat /data/marker", token)).Stdout.ShouldBe(_agent);
    }

    [Theory]
    [InlineData("ALL")]
    [InlineData("NOT_A_CAPABILITY")]
    public async Task PrepareAsync_CapabilityTheValidatorRefuses_IsRefusedToo(string capability)
    {
        var spec = EchoSpec() with { Security = new SecuritySpec { Capabilities = new CapabilitySpec { Add = [capability] } } };

        var ex = await Should.ThrowAsync<RuntimeException>(() => CreateRuntime().PrepareAsync(spec, TestTimeouts.Token()));

        ex.Kind.ShouldBe(RuntimeErrorKind.Config);
        ex.Message.ShouldContain($"capability '{capability}'");
    }

    [Fact]
    public async Task StartAsync_Files_MountedReadOnlyFromMemory_ReadableByAnyUserUnderAReadOnlyRoot_GoneAfterRemove()
    {
        var token = TestTimeouts.Token();
        var files = $"/dev/shm/berth-test-{Guid.NewGuid():N}";
        var runtime = new DockerAgentRuntime(Client, Options.Create(new DockerRuntimeOptions { StopGrace = TimeSpan.FromSeconds(1), FilesDirectory = files }), TimeProvider.System);
        var spec = EchoSpec() with { Security = new SecuritySpec { RunAsUser = "1000:1000", ReadOnlyRootFilesystem = true } };
        await runtime.PrepareAsync(spec, token);
        var launch = Launch(spec, "f1") with
        {
            Files = new Dictionary<string, byte[]> { ["/run/secrets/api"] = "s3cret\n"u8.ToArray(), ["/etc/app/conf.json"] = "{}"u8.ToArray() },
        };

        var instance = await runtime.StartAsync(launch, token);

        (await ExecAsync(instance.NativeId!, "cat /run/secrets/api /etc/app/conf.json", token)).Stdout.ShouldBe("s3cret\n{}");
        var write = await ExecAsync(instance.NativeId!, "echo x > /run/secrets/api", token);
        write.ExitCode.ShouldNotBe(0);
        (await ExecAsync(instance.NativeId!, "cat /run/secrets/api", token)).Stdout.ShouldBe("s3cret\n");
        var mounts = (await Client.InspectContainerAsync(instance.NativeId!, token)).HostConfig!.Mounts!;
        mounts.Select(m => (m.Target, m.ReadOnly)).ShouldBe([("/run/secrets/api", true), ("/etc/app/conf.json", true)], ignoreOrder: true);
        mounts.ShouldAllBe(m => m.Source!.StartsWith(files + "/", StringComparison.Ordinal));
        new DriveInfo(files).DriveFormat.ShouldBe("tmpfs");

        await runtime.RemoveAsync(launch.InstanceId, token);

        Directory.EnumerateFileSystemEntries(files).ShouldBeEmpty();
        Directory.Delete(files);
    }

    private static string StatusField(string status, string field) =>
        status.Split('\n').Single(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..].Trim();

    private Task<ExecResult> ExecAsync(string containerId, string script, CancellationToken token) =>
        Client.ExecAsync(containerId, new ExecCreateRequest { Cmd = ["/bin/sh", "-c", script] }, token);

    private string TempDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("berth-harden-").FullName;
        _tempDirectories.Add(directory);
        return directory;
    }

    private static Socket ListenOnUnixSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen();
        return socket;
    }

    private DockerAgentRuntime CreateRuntime(string? dataDirectory = null) =>
        new(Client, Options.Create(new DockerRuntimeOptions { StopGrace = TimeSpan.FromSeconds(1), DataDirectory = dataDirectory }), TimeProvider.System);

    private AgentSpec EchoSpec() => new() { Name = _agent, Image = TestImages.EchoAgent, Port = TestImages.EchoAgentPort };

    private InstanceLaunch Launch(AgentSpec spec, string suffix) => new()
    {
        InstanceId = $"{_agent}-{suffix}",
        Spec = spec,
        Ordinal = 0,
        Generation = 1,
        Environment = new Dictionary<string, string> { ["BERTH_AGENT"] = _agent, ["BERTH_INSTANCE"] = $"{_agent}-{suffix}" },
    };

    private static async Task<HttpStatusCode> WaitForHealthAsync(Uri endpoint, CancellationToken token) =>
        (await Eventually.MatchAsync<HttpStatusCode?>(
            async probe =>
            {
                try
                {
                    using var response = await Http.GetAsync(new Uri(endpoint, "health"), probe);
                    return response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    return null; // not listening yet
                }
            },
            status => status is not null,
            $"{endpoint} to answer",
            cancellationToken: token))!.Value;
}
