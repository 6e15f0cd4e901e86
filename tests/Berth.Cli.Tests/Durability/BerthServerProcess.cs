using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Testing;

namespace Berth.Cli.Tests.Durability;

/// <summary>
/// The real <c>berth server</c> as a separate OS process (<c>dotnet berth.dll server …</c> from this test's output directory),
/// so it can be killed with SIGKILL the way a crash or the OOM killer would.
/// </summary>
internal sealed class BerthServerProcess : IDisposable
{
    private const int OutputLinesKept = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private BerthServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public bool IsRunning => !_process.HasExited;

    /// <summary>The data directory it runs on.</summary>
    public string DataDirectory { get; private init; } = "";

    /// <summary>The last lines the server printed (stdout and stderr), for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>
    /// Starts the server on a free loopback port over <paramref name="dataDirectory"/> (in <paramref name="workingDirectory"/>,
    /// default the test's) and waits until <c>/healthz</c> answers.
    /// </summary>
    /// <param name="settings">Further arguments (<c>--Berth:Key=value</c>).</param>
    /// <param name="environment">Variables added to the server's environment (<c>BERTH_STORE</c>, <c>BERTH_SECRETS_KEY</c>).</param>
    public static async Task<BerthServerProcess> StartAsync(
        string dataDirectory,
        string runtime,
        CancellationToken cancellationToken,
        string? workingDirectory = null,
        IReadOnlyList<string>? settings = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var address = new Uri($"http://127.0.0.1:{UnusedPort.Get()}/");
        var berth = Path.Combine(AppContext.BaseDirectory, "berth.dll");
        if (!File.Exists(berth))
        {
            throw new InvalidOperationException($"{berth} is missing: the test project must reference src/Berth.Cli so its build output lands next to the tests.");
        }

        var start = new ProcessStartInfo(Repository.Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in new[] { berth, "server", "--data-dir", dataDirectory, "--urls", address.GetLeftPart(UriPartial.Authority), "--runtime", runtime }.Concat(settings ?? []))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName} {berth}");
        var server = new BerthServerProcess(process, address) { DataDirectory = dataDirectory };
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilUpAsync(cancellationToken);
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>An HTTP client for this server's address, sending <paramref name="token"/>.</summary>
    public HttpClient Http(string token)
    {
        var http = new HttpClient { BaseAddress = Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>A Berth client for this server, polling quickly.</summary>
    public BerthClient Client(string token) => new(Address) { Token = token, PollInterval = TimeSpan.FromMilliseconds(200) };

    /// <summary>What <c>/readyz</c> says: this server's id and the leader's.</summary>
    public async Task<ServerInfo> ReadyAsync(string token, CancellationToken cancellationToken)
    {
        using var http = Http(token);
        return (await http.GetFromJsonAsync<ServerInfo>("readyz", BerthJson.Options, cancellationToken))!;
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything. Returns once it has exited.</summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync(cancellationToken);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // it exited in between
        }

        _process.Dispose();
    }

    private async Task WaitUntilUpAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(
            async token =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"berth server exited with {_process.ExitCode} before it answered /healthz:\n{Output}");
                }

                try
                {
                    using var response = await http.GetAsync("healthz", token);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false; // not listening yet
                }
            },
            $"berth server at {Address} to answer /healthz",
            cancellationToken: cancellationToken);
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > OutputLinesKept && _output.TryDequeue(out _))
        {
        }
    }
}
