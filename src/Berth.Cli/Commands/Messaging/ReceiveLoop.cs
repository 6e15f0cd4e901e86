using System.CommandLine;
using System.Text.Json;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Core.Specs;
using Spectre.Console;

namespace Berth.Cli.Commands.Messaging;

/// <summary>
/// What <c>berth subscribe</c> and <c>berth mailbox</c> share: long-poll receives in a loop, each message printed as one JSON line
/// and flushed as it arrives; with <c>--ack</c> each is acked once printed, before the next receive. Ends after <c>--max</c>
/// messages, or once <c>--timeout</c> passed without a message (both exit 0, saying which on stderr), or at Ctrl+C.
/// </summary>
internal sealed class ReceiveLoop
{
    /// <summary>The longest one receive waits: a dropped connection is noticed within it, and proxies rarely cut a request this short.</summary>
    internal static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The most messages one receive leases. Small, because what is leased and not yet printed waits out the visibility timeout
    /// when the loop is stopped; a receive answers at once when messages are ready, so throughput barely suffers.
    /// </summary>
    internal const int Batch = 10;

    private readonly Option<bool> _ack = new("--ack") { Description = "Ack each message once printed (without it, each is redelivered after its lease)" };
    private readonly Option<int?> _max = new("--max", "-n") { Description = "Exit 0 after this many messages", HelpName = "N" };
    private readonly Option<TimeSpan?> _timeout = MessagingOptions.CreateDuration("--timeout", "Exit 0 once this long passed without a message (default: wait until Ctrl+C)");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_ack);
        command.Options.Add(_max);
        command.Options.Add(_timeout);
    }

    /// <summary>
    /// Runs the loop over <paramref name="receive"/> (max, wait) and <paramref name="ack"/>. <paramref name="source"/> names where the
    /// messages come from in notes (<c>subscription/orders</c>).
    /// </summary>
    public async Task<int> RunAsync(
        CliSession session,
        string source,
        Func<int, TimeSpan, CancellationToken, Task<IReadOnlyList<ReceivedMessage>>> receive,
        Func<IReadOnlyList<string>, CancellationToken, Task<SettleResponse>> ack,
        CancellationToken cancellationToken)
    {
        var max = session.ParseResult.GetValue(_max);
        if (max is < 1)
        {
            throw new CliException($"--max must be 1 or more, got {max}", ExitCodes.Usage);
        }

        var idle = session.ParseResult.GetValue(_timeout);
        var acking = session.ParseResult.GetValue(_ack);
        var time = session.Context.Time;
        var received = 0;
        var lastMessage = time.GetTimestamp();
        try
        {
            while (max is null || received < max)
            {
                var wait = LongPoll;
                if (idle is { } limit)
                {
                    var remaining = limit - time.GetElapsedTime(lastMessage);
                    if (remaining <= TimeSpan.Zero)
                    {
                        session.Console.WriteLine($"no message on {source} for {Duration.Format(limit)} (--timeout); received {Messages(received)}");
                        return ExitCodes.Ok;
                    }

                    // Whole milliseconds, rounded up, so the server is never asked for a wait it would round to nothing.
                    wait = TimeSpan.FromMilliseconds(Math.Ceiling(Math.Min(remaining.TotalMilliseconds, LongPoll.TotalMilliseconds)));
                }

                var batch = await receive(Math.Min(Batch, (max ?? int.MaxValue) - received), wait, cancellationToken);
                // The server leases at most what was asked; should it send more, those are left to their lease, not printed.
                foreach (var message in batch.Take((max ?? int.MaxValue) - received))
                {
                    await session.Out.WriteLineAsync(JsonSerializer.Serialize(message, BerthClientJson.TypeInfo<ReceivedMessage>()).AsMemory(), cancellationToken);
                    await session.Out.FlushAsync(cancellationToken);
                    received++;
                    if (acking)
                    {
                        var settled = await ack([message.AckId], cancellationToken);
                        if (settled.NotHeld.Count > 0)
                        {
                            session.Console.WriteLine($"warning: message {message.Id} was printed but its lease had ended before the ack; it will be delivered again");
                        }
                    }
                }

                if (batch.Count > 0)
                {
                    lastMessage = time.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            session.Console.WriteLine($"stopped after {Messages(received)} from {source}");
            // Without --max or --timeout, Ctrl+C is how the loop ends; with either, it was cut short.
            return max is null && idle is null ? ExitCodes.Ok : ExitCodes.Cancelled;
        }

        session.Console.WriteLine($"received {Messages(received)} from {source} (--max {max})");
        return ExitCodes.Ok;
    }

    private static string Messages(int count) => count == 1 ? "1 message" : $"{count} messages";
}
