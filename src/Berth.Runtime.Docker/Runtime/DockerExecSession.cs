using System.Buffers;
using System.Runtime.CompilerServices;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>An exec attached over a hijacked engine connection: output demultiplexed unless it has a TTY, input written through.</summary>
internal sealed class DockerExecSession(DockerEngineClient client, string execId, bool tty, HijackedConnection connection, TimeProvider time) : IExecSession
{
    private const int ReadBuffer = 16 * 1024;
    private static readonly TimeSpan ExitPollInterval = TimeSpan.FromMilliseconds(20);

    public async IAsyncEnumerable<ExecOutput> ReadOutputAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!tty)
        {
            using var reader = new MultiplexedStreamReader(connection.Stream);
            while (await ReadFrameAsync(reader, cancellationToken).ConfigureAwait(false) is { } frame)
            {
                yield return new ExecOutput(frame.Stream == OutputKind.Stderr ? LogSource.Stderr : LogSource.Stdout, frame.Payload);
            }

            yield break;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ReadBuffer);
        try
        {
            while (true)
            {
                var read = await ReadRawAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    yield break;
                }

                yield return new ExecOutput(LogSource.Stdout, buffer.AsMemory(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public ValueTask WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        connection.Stream.WriteAsync(data, cancellationToken);

    public void CloseInput() => connection.CloseInput();

    public Task ResizeAsync(TerminalSize size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(size);
        return tty ? client.ResizeExecAsync(execId, size.Rows, size.Columns, cancellationToken) : Task.CompletedTask;
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // the output stream closes a moment before the engine records the exit code
            var inspect = await client.InspectExecAsync(execId, cancellationToken).ConfigureAwait(false);
            if (!inspect.Running && inspect.ExitCode is { } exitCode)
            {
                return exitCode;
            }

            await Task.Delay(ExitPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    private static async ValueTask<(OutputKind Stream, ReadOnlyMemory<byte> Payload)?> ReadFrameAsync(MultiplexedStreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // the engine dropped the connection: the output is over
            return null;
        }
    }

    private async ValueTask<int> ReadRawAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.Stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
