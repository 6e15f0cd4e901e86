using System.Runtime.CompilerServices;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Swarm;

public sealed partial class SwarmAgentRuntime
{
    /// <inheritdoc />
    /// <remarks>The service's logs, which Swarm gathers from whichever nodes ran its tasks; followed, they go on across restarts until the service is removed.</remarks>
    public async IAsyncEnumerable<LogEntry> ReadLogsAsync(string instanceId, LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var tail = query.Tail is { } asked ? Math.Clamp(asked, 0, LogQuery.MaxTail) : (int?)null;
        var lines = _client.GetServiceLogsAsync(SwarmLabels.ServiceName(instanceId), new LogsQuery { Tail = tail, Since = query.Since, Follow = query.Follow }, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        await using (lines.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await lines.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (DockerEngineException ex) when (ex.IsNotFound)
                {
                    yield break;
                }

                var line = lines.Current;
                yield return new LogEntry(instanceId, line.Time, line.Stream == OutputKind.Stderr ? LogSource.Stderr : LogSource.Stdout, line.Text);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Only a task on this node can be sampled; one elsewhere answers null, as an instance that does not run here.</remarks>
    public async Task<InstanceStats?> GetStatsAsync(string instanceId, CancellationToken cancellationToken) =>
        await LocalContainerAsync(instanceId, cancellationToken).ConfigureAwait(false) is { } container
            ? await _docker.GetContainerStatsAsync(instanceId, container, cancellationToken).ConfigureAwait(false)
            : null;

    /// <inheritdoc />
    /// <remarks>Only into a task on this node: the Engine API runs commands on the engine it is asked through.</remarks>
    public async Task<IExecSession?> StartExecAsync(string instanceId, ExecStart start, CancellationToken cancellationToken) =>
        await LocalContainerAsync(instanceId, cancellationToken).ConfigureAwait(false) is { } container
            ? await _docker.StartExecInContainerAsync(container, start, cancellationToken).ConfigureAwait(false)
            : null;
}
