using System.IO.Pipelines;
using Berth.Cli.Tests.Infrastructure;
using Berth.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Spectre.Console;

namespace Berth.Cli.Tests.Mcp;

/// <summary>
/// The official C# SDK client talking to <c>berth mcp</c> run in-process: the client's stdin and stdout are pipes into the
/// relay, exactly what a desktop client's are. Disposing closes the relay's stdin, which ends it.
/// </summary>
internal sealed class RelayedClient : IAsyncDisposable
{
    private readonly StringWriter _stderr;
    private readonly Pipe _stdin;
    private readonly Pipe _stdout;

    private RelayedClient(McpClient client, Task<int> relay, StringWriter stderr, Pipe stdin, Pipe stdout)
    {
        Client = client;
        Relay = relay;
        _stderr = stderr;
        _stdin = stdin;
        _stdout = stdout;
    }

    public McpClient Client { get; }

    /// <summary>The running <c>berth mcp</c>; its exit code once stdin has ended.</summary>
    public Task<int> Relay { get; }

    /// <summary>What the relay printed on stderr; read it once <see cref="Relay"/> has ended.</summary>
    public string Stderr => _stderr.ToString();

    public static async Task<RelayedClient> ConnectAsync(IReadOnlyDictionary<string, string> environment, string server, string? protocolVersion = null)
    {
        var toRelay = new Pipe();
        var fromRelay = new Pipe();
        var text = new StringWriter();
        var stderr = TextWriter.Synchronized(text);
        var context = new CliContext
        {
            Console = CliHarness.CreateConsole(stderr),
            OutConsole = CliHarness.CreateConsole(TextWriter.Null),
            Out = new StreamWriter(fromRelay.Writer.AsStream()) { AutoFlush = true },
            In = new StreamReader(toRelay.Reader.AsStream()),
            GetEnvironmentVariable = name => environment.GetValueOrDefault(name),
            CurrentDirectory = Path.GetTempPath(),
            IsInteractive = false,
        };
        var relay = Task.Run(() => CliApp.RunAsync(["mcp", "--server", server], context, CancellationToken.None));
        var transport = new StreamClientTransport(toRelay.Writer.AsStream(), fromRelay.Reader.AsStream());
        var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion }, cancellationToken: TestTimeouts.Token());
        return new RelayedClient(client, relay, text, toRelay, fromRelay);
    }

    /// <summary>Ends the client and closes the relay's stdin, as a desktop client does when it quits; returns the relay's exit code.</summary>
    public async Task<int> CloseAsync()
    {
        await Client.DisposeAsync();
        await _stdin.Writer.CompleteAsync();
        await _stdout.Reader.CompleteAsync();
        return await Relay.WaitAsync(TestTimeouts.Slow);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _stderr.Dispose();
    }

}
