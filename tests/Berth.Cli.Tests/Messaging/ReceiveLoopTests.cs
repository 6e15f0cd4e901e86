using System.CommandLine;
using System.Text.Json;
using Berth.Cli.Commands;
using Berth.Cli.Commands.Messaging;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Cli.Tests.Messaging;

/// <summary>
/// The loop behind <c>berth subscribe</c> and <c>berth mailbox</c>, over scripted receives and acks and a fake clock: what it asks
/// for, in what order, what it prints, and when it stops.
/// </summary>
public sealed class ReceiveLoopTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly List<string> _calls = [];
    private readonly Queue<string> _ready = new();

    /// <summary>
    /// Runs the loop with <paramref name="args"/>. A receive hands out what is in <see cref="_ready"/>; when that is empty it asks
    /// <paramref name="arrives"/> (fake time so far, the wait) for a message arriving during the wait, else lets the wait pass.
    /// </summary>
    private async Task<int> RunAsync(string[] args, Func<TimeSpan, TimeSpan, (TimeSpan After, string Id)?>? arrives = null, CancellationTokenSource? stop = null)
    {
        var loop = new ReceiveLoop();
        var command = new Command("subscribe");
        loop.AddTo(command);
        var parsed = command.Parse(args);
        parsed.Errors.ShouldBeEmpty();
        var context = new CliContext
        {
            Console = CliHarness.CreateConsole(_err),
            OutConsole = CliHarness.CreateConsole(_out),
            Out = _out,
            In = new StringReader(""),
            GetEnvironmentVariable = _ => null,
            CurrentDirectory = Path.GetTempPath(),
            IsInteractive = false,
            Time = _time,
        };
        var start = _time.GetUtcNow();
        return await loop.RunAsync(
            new CliSession(context, parsed),
            "subscription/w",
            async (max, wait, ct) =>
            {
                _calls.Add($"receive max={max} wait={wait.TotalSeconds}s");
                var batch = new List<ReceivedMessage>();
                while (batch.Count < max && _ready.TryDequeue(out var id))
                {
                    batch.Add(Message(id));
                }

                if (batch.Count > 0)
                {
                    return batch;
                }

                if (stop is not null)
                {
                    // Nothing left: Ctrl+C while the long-poll waits.
                    await stop.CancelAsync();
                    ct.ThrowIfCancellationRequested();
                }

                if (arrives?.Invoke(_time.GetUtcNow() - start, wait) is { } arrival)
                {
                    _time.Advance(arrival.After);
                    return [Message(arrival.Id)];
                }

                _time.Advance(wait);
                return [];
            },
            (ackIds, _) =>
            {
                _calls.Add($"ack {string.Join(',', ackIds)}");
                return Task.FromResult(new SettleResponse(ackIds, ackIds.Contains("ack-late") ? ["ack-late"] : []));
            },
            stop?.Token ?? CancellationToken.None).WaitAsync(TestTimeouts.Quick);
    }

    private static ReceivedMessage Message(string id) => new()
    {
        Id = id,
        Subscription = "w",
        Topic = "orders",
        Body = System.Text.Json.Nodes.JsonNode.Parse("""{"line": "one\ntwo"}"""),
        PublishedAt = DateTimeOffset.UnixEpoch,
        Publisher = "token:admin",
        Delivery = 1,
        AckId = $"ack-{id}",
        LeaseExpiresAt = DateTimeOffset.UnixEpoch.AddSeconds(30),
    };

    private List<string?> PrintedIds() =>
        [.. _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString())];

    [Fact]
    public async Task RunAsync_AckAndMax_AcksEachBeforeTheNextReceiveAndStopsAtMax()
    {
        foreach (var id in new[] { "m1", "m2", "m3" })
        {
            _ready.Enqueue(id);
        }

        var exit = await RunAsync(["--ack", "--max", "2"]);

        exit.ShouldBe(ExitCodes.Ok);
        _calls.ShouldBe(["receive max=2 wait=20s", "ack ack-m1", "ack ack-m2"]);
        PrintedIds().ShouldBe(["m1", "m2"], "one JSON line per message, a body's newline escaped inside its line");
        _err.ToString().ShouldContain("received 2 messages from subscription/w (--max 2)");
        _ready.ToList().ShouldBe(["m3"], "never asks for more than --max");
    }

    [Fact]
    public async Task RunAsync_MoreThanABatch_AcksTheBatchBeforeAskingAgain()
    {
        foreach (var n in Enumerable.Range(1, ReceiveLoop.Batch + 1))
        {
            _ready.Enqueue($"m{n}");
        }

        await RunAsync(["--ack", "--max", $"{ReceiveLoop.Batch + 1}"]);

        _calls.Count(c => c.StartsWith("receive", StringComparison.Ordinal)).ShouldBe(2);
        _calls.IndexOf($"ack ack-m{ReceiveLoop.Batch}").ShouldBeLessThan(_calls.LastIndexOf($"receive max=1 wait=20s"));
        PrintedIds().Count.ShouldBe(ReceiveLoop.Batch + 1);
    }

    [Fact]
    public async Task RunAsync_WithoutAck_NeverAcks()
    {
        _ready.Enqueue("m1");

        await RunAsync(["--max", "1"]);

        _calls.ShouldBe(["receive max=1 wait=20s"]);
    }

    [Fact]
    public async Task RunAsync_Timeout_WaitsNoLongerThanWhatIsLeftThenExitsOk()
    {
        var exit = await RunAsync(["--timeout", "50s"]);

        exit.ShouldBe(ExitCodes.Ok);
        _calls.ShouldBe(["receive max=10 wait=20s", "receive max=10 wait=20s", "receive max=10 wait=10s"]);
        _err.ToString().ShouldContain("no message on subscription/w for 50s (--timeout); received 0 messages");
        _out.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_MessageDuringTheTimeout_CountsTheQuietFromThen()
    {
        var exit = await RunAsync(
            ["--timeout", "30s", "--ack"],
            (elapsed, wait) => elapsed < TimeSpan.FromSeconds(25) && elapsed + wait > TimeSpan.FromSeconds(25) ? (TimeSpan.FromSeconds(25) - elapsed, "m1") : null);

        exit.ShouldBe(ExitCodes.Ok);
        _calls.ShouldBe(
            ["receive max=10 wait=20s", "receive max=10 wait=10s", "ack ack-m1", "receive max=10 wait=20s", "receive max=10 wait=10s"],
            "a message came 25s in, so the 30s of quiet start again from then");
        _err.ToString().ShouldContain("received 1 message");
    }

    [Fact]
    public async Task RunAsync_LeaseEndedBeforeTheAck_WarnsItComesAgain()
    {
        _ready.Enqueue("late");

        await RunAsync(["--ack", "--max", "1"]);

        _err.ToString().ShouldContain("message late was printed but its lease had ended before the ack; it will be delivered again");
    }

    [Fact]
    public async Task RunAsync_CtrlCWithoutMaxOrTimeout_EndsOk()
    {
        using var stop = new CancellationTokenSource();
        _ready.Enqueue("m1");

        var exit = await RunAsync(["--ack"], stop: stop);

        exit.ShouldBe(ExitCodes.Ok, "without --max or --timeout, Ctrl+C is how the loop ends");
        _err.ToString().ShouldContain("stopped after 1 message from subscription/w");
        PrintedIds().ShouldBe(["m1"]);
    }

    [Fact]
    public async Task RunAsync_CtrlCBeforeMax_IsCancelled()
    {
        using var stop = new CancellationTokenSource();
        _ready.Enqueue("m1");

        var exit = await RunAsync(["--ack", "--max", "5"], stop: stop);

        exit.ShouldBe(ExitCodes.Cancelled);
    }
}
