using System.Globalization;
using System.Text;
using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Storage;
using Berth.Server.Agents;
using Berth.Server.Runtimes;

namespace Berth.Server.Mcp.Resources;

/// <summary>
/// The recent log lines of an agent as plain text for <c>berth://agents/{name}/logs</c>: merged across instances in time
/// order (the API's <see cref="LogMerge"/> and <see cref="LogTail"/>), at most <see cref="Lines"/> lines and
/// <see cref="MaxBytes"/> bytes, so one read cannot pull a whole log into memory or into a model's context.
/// </summary>
internal sealed class AgentLogText(IInstanceStore instances, RuntimeCatalog runtimes)
{
    public const int Lines = 200;
    public const int MaxBytes = 256 * 1024;

    public async Task<string> ReadAsync(AgentRecord agent, CancellationToken cancellationToken)
    {
        var driver = runtimes.Configured(agent.Spec.Kind);
        var targets = (await instances.ListAsync(agent.Name, cancellationToken)).Select(i => i.InstanceId).ToList();
        if (driver is null || targets.Count == 0)
        {
            return "";
        }

        var query = new LogQuery { Tail = Lines };
        var merged = LogMerge.ByTime(targets.Select(id => driver.ReadLogsAsync(id, query, cancellationToken)).ToList(), cancellationToken);
        var text = new StringBuilder();
        foreach (var entry in await LogTail.LastAsync(merged, Lines, MaxBytes, cancellationToken))
        {
            text.Append(entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
                .Append(' ').Append(entry.InstanceId)
                .Append(entry.Source == LogSource.Stderr ? " stderr " : " stdout ")
                .Append(entry.Line).Append('\n');
        }

        return text.ToString();
    }
}
