using System.Runtime.CompilerServices;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Runtime;

public sealed partial class DockerAgentRuntime
{
    /// <inheritdoc />
    /// <remarks>
    /// The engine ends a followed log stream when the container exits; this keeps following across
    /// restarts of the same container (resuming after the last line seen) until it is removed.
    /// </remarks>
    public async IAsyncEnumerable<LogEntry> ReadLogsAsync(string instanceId, LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var name = DockerLabels.ContainerName(instanceId);
        // The engine reads a tail back from the end, but an absurd one would still make it send every line it has.
        var tail = query.Tail is { } asked ? Math.Clamp(asked, 0, LogQuery.MaxTail) : (int?)null;
        var engineQuery = new LogsQuery { Tail = tail, Since = query.Since, Follow = query.Follow };
        DateTimeOffset? last = null;
        while (true)
        {
            var lines = _client.GetLogsAsync(name, engineQuery, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (lines.ConfigureAwait(false))
            {
                while (true)
                {
                    bool moved;
                    try
                    {
                        moved = await lines.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (DockerEngineException ex) when (ex.IsNotFound)
                    {
                        moved = false;
                    }

                    if (!moved)
                    {
                        break;
                    }

                    var line = lines.Current;
                    if (last is { } seen && line.Time <= seen)
                    {
                        continue;
                    }

                    last = line.Time;
                    yield return new LogEntry(instanceId, line.Time, line.Stream == OutputKind.Stderr ? LogSource.Stderr : LogSource.Stdout, line.Text);
                }
            }

            if (!query.Follow || await WaitUntilRunningAgainAsync(name, cancellationToken).ConfigureAwait(false) is not { } restarted)
            {
                yield break;
            }

            // the stream drained the previous run, so the next run's lines are those after it finished
            var resumeAt = Later(last, DockerTimestamps.Parse(restarted.State.FinishedAt));
            engineQuery = resumeAt is null ? engineQuery : new LogsQuery { Since = resumeAt, Follow = true };
        }
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null || a > b ? a : b;

    /// <summary>Waits until the container runs again (returning it) or is removed (null).</summary>
    private async Task<ContainerInspect?> WaitUntilRunningAgainAsync(string name, CancellationToken cancellationToken)
    {
        while (true)
        {
            var container = await _client.TryInspectContainerAsync(name, cancellationToken).ConfigureAwait(false);
            if (container is null || container.State.Running)
            {
                return container;
            }

            await Task.Delay(RestartPollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
