using System.Threading.Channels;
using Berth.Core.Plugins;
using Berth.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Plugins.Execution;

/// <summary>
/// Stores invocation records off the call's path: the invoker hands each record over and answers at once, and one writer
/// stores what has queued up in one transaction, so concurrent calls never wait on the store's write lock (on SQLite a
/// waiting writer sleeps in steps of milliseconds, the long tail of a call's latency). <see cref="FlushAsync"/> waits until
/// everything handed over before it is stored: a reader that flushes first sees every call that has returned. Stopping
/// stores what is queued; only a crash can lose the records of the last few milliseconds' calls. The queue is bounded:
/// when the store falls that far behind, calls wait for it.
/// </summary>
internal sealed partial class PluginInvocationLog(IPluginStore store, ILogger<PluginInvocationLog> logger) : IHostedService
{
    private const int MaxBatch = 256;
    private const int Capacity = 10_000;

    private readonly Channel<PluginInvocation> _queue = Channel.CreateBounded<PluginInvocation>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Lock _gate = new();
    private long _handed;
    private long _stored;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _writer;

    /// <summary>Hands a record over; waits only when the queue is full.</summary>
    public async ValueTask AddAsync(PluginInvocation invocation, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _handed);
        try
        {
            await _queue.Writer.WriteAsync(invocation, cancellationToken);
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            LogDropped(1, "the server is stopping");
            Advance(1);
        }
    }

    /// <summary>Waits until every record handed over before this call is stored (or was dropped after a store failure).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _handed);
        while (true)
        {
            Task progress;
            lock (_gate)
            {
                if (_stored >= target)
                {
                    return;
                }

                progress = _progress.Task;
            }

            await progress.WaitAsync(cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writer = Task.Run(WriteAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_writer is { } writer)
        {
            await writer.WaitAsync(cancellationToken);
        }
    }

    private async Task WriteAsync()
    {
        var batch = new List<PluginInvocation>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var invocation))
            {
                batch.Add(invocation);
            }

            try
            {
                await store.AddInvocationsAsync(batch, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogDropped(batch.Count, ex.Message);
            }

            Advance(batch.Count);
        }
    }

    private void Advance(int count)
    {
        TaskCompletionSource progress;
        lock (_gate)
        {
            _stored += count;
            progress = _progress;
            _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        progress.TrySetResult();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} plugin invocation record(s) not stored: {Reason}")]
    private partial void LogDropped(int count, string reason);
}
