using System.Text;
using Berth.Cli.Tests.Infrastructure;
using Berth.Testing;
using Berth.Testing.Tls;
using Microsoft.Data.Sqlite;
using Spectre.Console;

namespace Berth.Cli.Tests.Transport;

/// <summary><c>berth server</c> in-process: what it prints about TLS, read while it runs, then stopped as Ctrl+C would.</summary>
public sealed class ServerCommandTlsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task Server_AllInterfacesWithoutTls_PrintsTheClearTextWarning()
    {
        var output = await RunServerUntilReadyAsync("--urls", "http://0.0.0.0:0");

        output.ShouldContain("WARNING:");
        output.ShouldContain("clear text");
        output.ShouldContain("--tls-cert");
    }

    [Fact]
    public async Task Server_WithTlsCertificate_ServesHttpsAndReadsItsOwnStatus()
    {
        using var authority = TestCertificateAuthority.Create();
        using var certificate = authority.IssueServerCertificate();
        var cert = TestCertificateAuthority.WriteCertificatePem(certificate, Path.Combine(_directory.Path, "server.pem"));
        var key = TestCertificateAuthority.WriteKeyPem(certificate, Path.Combine(_directory.Path, "server.key"));

        var output = await RunServerUntilReadyAsync("--urls", "https://127.0.0.1:0", "--tls-cert", cert, "--tls-key", key);

        output.ShouldContain("Berth is listening on https://127.0.0.1:");
        output.ShouldContain("status:");
        output.ShouldNotContain("could not read the server's status");
        output.ShouldNotContain("WARNING:");
    }

    /// <summary>Runs <c>berth server</c> until it prints "press Ctrl+C", then cancels it and returns everything it printed.</summary>
    private async Task<string> RunServerUntilReadyAsync(params string[] args)
    {
        var human = new WatchedWriter("press Ctrl+C");
        var context = new CliContext
        {
            Console = CliHarness.CreateConsole(human),
            OutConsole = CliHarness.CreateConsole(new WatchedWriter("")),
            Out = TextWriter.Null,
            In = new StringReader(""),
            GetEnvironmentVariable = _ => null,
            CurrentDirectory = _directory.Path,
            IsInteractive = false,
        };
        using var stop = new CancellationTokenSource();
        var run = CliApp.RunAsync(
            ["server", "--data-dir", Path.Combine(_directory.Path, "data"), "--runtime", "process", .. args], context, stop.Token);
        var first = await Task.WhenAny(run, human.Seen).WaitAsync(TestTimeouts.Slow);
        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(TestTimeouts.Slow);
        first.ShouldBe(human.Seen, $"berth server ended early with exit {exitCode}:\n{human}");
        exitCode.ShouldBe(ExitCodes.Ok, human.ToString());
        return human.ToString();
    }


    /// <summary>A thread-safe writer that completes <see cref="Seen"/> once the text written so far contains a marker.</summary>
    private sealed class WatchedWriter(string marker) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        private readonly Lock _lock = new();
        private readonly StringBuilder _text = new();
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => _seen.Task;

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value)
        {
            lock (_lock)
            {
                _text.Append(value);
                if (marker.Length > 0 && _text.ToString().Contains(marker, StringComparison.Ordinal))
                {
                    _seen.TrySetResult();
                }
            }
        }

        public override void WriteLine(string? value) => Write(value + "\n");

        public override string ToString()
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }
}
