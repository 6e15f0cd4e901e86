using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Core.Specs;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Runtime.Process;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Server.Tests.Docker;

/// <summary>Host-path volumes checked on the host at apply, links followed, on a real server with the docker runtime.</summary>
[RequiresDocker]
public sealed class DockerHostVolumeTests : IAsyncLifetime
{
    private readonly List<Socket> _sockets = [];
    private DockerAgentHarness _h = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _h = await DockerAgentHarness.CreateAsync();
        _server = await _h.StartServerAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        await _h.DisposeAsync();
    }

    [Fact]
    public async Task Apply_InnocentLinkInTmpToAUnixSocket_Is400NamingThePathAndWhyAndStartsNothing()
    {
        var directory = _h.NewDirectory();
        var socketPath = ListenOnUnixSocket(Path.Combine(directory, "service.sock"));
        var link = Path.Combine(directory, "data");
        File.CreateSymbolicLink(link, socketPath);

        var message = await RefusedAsync(link);

        message.ShouldContain($"{link} (really {socketPath}) is a unix socket");
        (await _h.ContainersAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Apply_LinkInTmpToTheDockerSocket_Is400SayingItControlsTheEngine()
    {
        var link = Path.Combine(_h.NewDirectory(), "cache");
        File.CreateSymbolicLink(link, _h.Docker.SocketPath);

        var message = await RefusedAsync(link);

        message.ShouldContain($"{link} resolves to");
        message.ShouldContain("control of the");
    }

    [Theory]
    [InlineData("/usr/bin", "programs and libraries")]
    [InlineData("/lib/x86_64-linux-gnu", "programs and libraries")]
    [InlineData("/run/docker", "runtime state")]
    [InlineData("/run/docker/containerd/containerd.sock", "runtime state")]
    public async Task Apply_SystemTree_Is400NamingWhatItExposes(string source, string exposes)
    {
        var message = await RefusedAsync(source);

        message.ShouldContain($"mounting {source} would");
        message.ShouldContain(exposes);
    }

    [Fact]
    public async Task Apply_DataDirectoryThroughALink_Is400()
    {
        var link = Path.Combine(_h.NewDirectory(), "innocent");
        File.CreateSymbolicLink(link, _server.DataDir);

        (await RefusedAsync(link)).ShouldContain("Berth's data directory");
    }

    [Fact]
    public async Task Apply_ProcessAgentsHomes_Is400()
    {
        var homes = _server.Server.Services.GetRequiredService<IOptions<ProcessRuntimeOptions>>().Value.AgentsDirectory;
        Directory.CreateDirectory(homes);

        (await RefusedAsync(homes)).ShouldContain("the process agents' private homes");
    }

    [Fact]
    public async Task Apply_PlainTmpDirectory_RunsWithItMountedReadOnly()
    {
        var directory = _h.NewDirectory();
        await File.WriteAllTextAsync(Path.Combine(directory, "marker"), _h.Name, TestTimeouts.Token());

        using var created = await _server.ApplyAsync(_h.EchoSpec() with { Volumes = [new VolumeSpec { Source = directory, Target = "/data", ReadOnly = true }] });

        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var view = await _server.WaitRunningAsync(_h.Name);
        var container = await _h.InspectAsync(view.Instances.ShouldHaveSingleItem().Id);
        container.HostConfig!.Binds.ShouldBe([$"{directory}:/data:ro"]);
        var exec = await _h.Docker.ExecAsync(container.Id, new ExecCreateRequest { Cmd = ["cat", "/data/marker"], AttachStdout = true, AttachStderr = true }, TestTimeouts.Token());
        exec.Stdout.ShouldBe(_h.Name);
    }

    private async Task<string> RefusedAsync(string source)
    {
        using var response = await _server.ApplyAsync(_h.EchoSpec() with { Volumes = [new VolumeSpec { Source = source, Target = "/mnt" }] });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        var error = problem.GetProperty("errors").EnumerateArray().ShouldHaveSingleItem();
        error.GetProperty("path").GetString().ShouldBe("spec.volumes[0].source");
        return error.GetProperty("message").GetString()!;
    }

    private string ListenOnUnixSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _sockets.Add(socket);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen();
        return path;
    }
}
