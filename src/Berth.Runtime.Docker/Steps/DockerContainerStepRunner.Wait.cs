using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Steps;

public sealed partial class DockerContainerStepRunner
{
    /// <inheritdoc />
    /// <remarks>
    /// A re-attached wait reports the container's lines from its start. Once the container has exited it is removed whatever
    /// happens next; a failure before that (the engine unreachable) leaves it for a later wait or <see cref="RemoveAsync"/>.
    /// After a non-zero exit, outputs the step did not write are left out instead of failing, so the exit code is what counts.
    /// </remarks>
    public async Task<ContainerStepResult> WaitAsync(
        string containerId,
        IReadOnlyList<string> outputs,
        Func<string, CancellationToken, Task>? onLine,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ArgumentNullException.ThrowIfNull(outputs);
        var paths = outputs.Select(StepOutputFiles.Normalize).Distinct(StringComparer.Ordinal).ToList();
        try
        {
            var output = await FollowAsync(containerId, onLine, cancellationToken).ConfigureAwait(false);
            var state = await ExitStateAsync(containerId, cancellationToken).ConfigureAwait(false);
            try
            {
                var files = await CopyOutputsAsync(containerId, paths, state.ExitCode == 0, cancellationToken).ConfigureAwait(false);
                return new ContainerStepResult
                {
                    ExitCode = state.ExitCode,
                    OomKilled = state.OOMKilled,
                    Stdout = output.Stdout(),
                    LogTail = output.Tail(),
                    Files = files,
                };
            }
            finally
            {
                await RemoveQuietlyAsync(containerId).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the attempt timed out or the run was cancelled: the container must not outlive it
            await RemoveQuietlyAsync(containerId).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<StepOutputCollector> FollowAsync(string containerId, Func<string, CancellationToken, Task>? onLine, CancellationToken cancellationToken)
    {
        var output = new StepOutputCollector();
        var lastSeen = new Dictionary<OutputKind, string>();
        var catchingUp = false;
        async ValueTask OnEntryAsync(OutputKind stream, string time, ReadOnlyMemory<byte> payload, CancellationToken token)
        {
            // a stream's entries come in time order, so one no later than the last seen was seen already
            if (catchingUp && lastSeen.TryGetValue(stream, out var last) && string.CompareOrdinal(time, last) <= 0)
            {
                return;
            }

            lastSeen[stream] = time;
            await ReportAsync(output.Push(stream, payload.Span), onLine, token).ConfigureAwait(false);
        }

        try
        {
            await _client.ReadOutputAsync(containerId, follow: true, since: null, OnEntryAsync, cancellationToken).ConfigureAwait(false);

            // Following can end before the engine logs an unterminated last fragment it flushes at exit: read what came after.
            catchingUp = true;
            var since = lastSeen.Values.Select(t => DockerTimestamps.TryParse(t, out var time) ? time : (DateTimeOffset?)null).Min();
            await _client.ReadOutputAsync(containerId, follow: false, since, OnEntryAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex) when (ex.IsNotFound)
        {
            throw StepEngineErrors.Gone(containerId, ex);
        }
        catch (DockerEngineException ex)
        {
            throw StepEngineErrors.From(ex);
        }
        catch (IOException ex)
        {
            throw StepEngineErrors.StreamBroken("following the step's output", ex);
        }

        await ReportAsync(output.Complete(), onLine, cancellationToken).ConfigureAwait(false);
        return output;
    }

    private static async Task ReportAsync(List<string> lines, Func<string, CancellationToken, Task>? onLine, CancellationToken cancellationToken)
    {
        if (onLine is null)
        {
            return;
        }

        foreach (var line in lines)
        {
            await onLine(line, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The exited container's state. The output stream normally ends at exit; if it broke off early, wait for the exit.</summary>
    private async Task<ContainerState> ExitStateAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            var container = await _client.TryInspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false)
                ?? throw StepEngineErrors.Gone(containerId);
            if (container.State.Running || container.State.Paused || container.State.Restarting)
            {
                await _client.WaitContainerAsync(containerId, WaitCondition.NotRunning, cancellationToken).ConfigureAwait(false);
                container = await _client.TryInspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false)
                    ?? throw StepEngineErrors.Gone(containerId);
            }

            if (container.State.Status == "created")
            {
                await RemoveQuietlyAsync(containerId).ConfigureAwait(false);
                throw new StepRunException(ErrorClass.Transient, $"step container '{containerId}' was created but never started; the attempt must run again");
            }

            return container.State;
        }
        catch (DockerEngineException ex) when (ex.IsNotFound)
        {
            throw StepEngineErrors.Gone(containerId, ex);
        }
        catch (DockerEngineException ex)
        {
            throw StepEngineErrors.From(ex);
        }
    }

    private async Task<IReadOnlyDictionary<string, byte[]>> CopyOutputsAsync(string containerId, List<string> paths, bool required, CancellationToken cancellationToken)
    {
        var files = new StepOutputFiles(_outputLimit);
        foreach (var path in paths)
        {
            try
            {
                await _client.GetArchiveAsync(containerId, path, (archive, token) => files.AddAsync(path, archive, token), cancellationToken).ConfigureAwait(false);
            }
            catch (DockerEngineException ex) when (ex.IsNotFound)
            {
                if (!await ExistsAsync(containerId, cancellationToken).ConfigureAwait(false))
                {
                    throw StepEngineErrors.Gone(containerId, ex);
                }

                if (required)
                {
                    throw new StepRunException(ErrorClass.User, $"output {path} was not created by the step; make the command write it, or fix the path in outputs", ex);
                }
            }
            catch (DockerEngineException ex)
            {
                throw StepEngineErrors.From(ex);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException)
            {
                throw StepEngineErrors.StreamBroken($"copying {path} out of the step", ex);
            }
        }

        if (files.Skipped > 0)
        {
            StepRunnerLog.OutputEntriesSkipped(_logger, containerId, files.Skipped);
        }

        return files.Files;
    }

    private async Task<bool> ExistsAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.TryInspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false) is not null;
        }
        catch (DockerEngineException ex)
        {
            throw StepEngineErrors.From(ex);
        }
    }
}
