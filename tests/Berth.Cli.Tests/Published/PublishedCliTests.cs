using System.Collections.Concurrent;
using System.Diagnostics;
using Berth.Cli.Tests.Infrastructure;
using Berth.Testing;

namespace Berth.Cli.Tests.Published;

/// <summary>
/// The published <c>berth</c>: a native binary with every client verb, whose <c>berth server</c> becomes the <c>berth-server</c>
/// beside it. Slow the first time (a Native AOT publish), so the trait lets the fast loop leave it out.
/// </summary>
[Trait("Requires", "Publish")]
public sealed class PublishedCliTests(PublishedCli published) : IClassFixture<PublishedCli>, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Berth_Published_IsANativeBinaryThatPrintsItsVersion()
    {
        var header = new byte[4];
        await using (var file = File.OpenRead(published.Berth))
        {
            await file.ReadExactlyAsync(header, TestTimeouts.Token());
        }

        header.ShouldBe(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' });
        File.Exists(Path.Combine(published.Directory, "berth.dll")).ShouldBeFalse("a berth.dll beside berth means the JIT app was published, not the AOT one");

        var (exitCode, output) = await RunAsync(published.Berth, ["--version"], new Dictionary<string, string>());

        exitCode.ShouldBe(0, output);
        output.Trim().ShouldMatch(@"^\d+\.\d+\.\d+");
    }

    [Fact]
    public async Task Init_Published_WritesTheTemplatesEmbeddedInTheNativeBinary()
    {
        var (exitCode, output) = await RunAsync(published.Berth, ["init", "plugin", "native", "--lang", "shell", "--dir", _directory.Path], new Dictionary<string, string>());

        exitCode.ShouldBe(0, output);
        var folder = Path.Combine(_directory.Path, "native");
        File.ReadAllText(Path.Combine(folder, "plugin.yaml")).ShouldContain("name: native");
        File.ReadAllText(Path.Combine(folder, "handler.sh")).ShouldContain("POST /execute");
        File.Exists(Path.Combine(folder, "Dockerfile")).ShouldBeTrue(output);
    }

    [Fact]
    public async Task Server_Published_BecomesBerthServerAndStopsOnSigterm()
    {
        var url = $"http://127.0.0.1:{UnusedPort.Get()}";
        var data = Path.Combine(_directory.Path, "data");
        var start = new ProcessStartInfo(published.Berth) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "server", "--urls", url, "--data-dir", data, "--runtime", "process" })
        {
            start.ArgumentList.Add(argument);
        }

        using var server = Process.Start(start) ?? throw new InvalidOperationException("could not start berth server");
        var output = new ConcurrentQueue<string>();
        server.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        server.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            await Eventually.TrueAsync(() => server.HasExited || output.Contains("press Ctrl+C to stop"), "berth server to say it is ready");
            server.HasExited.ShouldBeFalse(string.Join('\n', output));

            // execvp: the process berth started is now berth-server, so its PID, signals and exit code are the server's.
            Path.GetFileName(new FileInfo($"/proc/{server.Id}/exe").LinkTarget).ShouldBe("berth-server");

            var environment = new Dictionary<string, string> { ["BERTH_DATA_DIR"] = data, ["BERTH_URL"] = url };
            var (exitCode, agents) = await RunAsync(published.Berth, ["get", "agents", "-o", "json"], environment);
            exitCode.ShouldBe(0, agents);
            agents.Trim().ShouldBe("[]");

            await SignalAsync(server.Id, "TERM");
            await server.WaitForExitAsync(TestTimeouts.Token());
            server.ExitCode.ShouldBe(0, string.Join('\n', output));
            output.ShouldContain("stopped");
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
            }
        }
    }

    private static async Task SignalAsync(int processId, string signal)
    {
        var (exitCode, output) = await RunAsync("kill", [$"-{signal}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)], new Dictionary<string, string>());
        exitCode.ShouldBe(0, output);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestTimeouts.Token());
        return (process.ExitCode, await output + await error);
    }
}
