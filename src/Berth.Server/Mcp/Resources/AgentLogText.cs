using System.Globalization;
using System.Text;
using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Storage;
using Berth.Server.Agents;
using Berth.Server.Runtimes;
using Berth.Server.Secrets;

namespace Berth.Server.Mcp.Resources;

/// <summary>
/// The recent log lines of an agent as plain text for <c>berth://agents/{name}/logs</c>: read as the <c>agent_logs</c> tool
/// reads them (<see cref="AgentLogSource"/>: every instance, merged in time order), at most <see cref="Lines"/> lines and
/// <see cref="MaxBytes"/> bytes, so one read cannot pull a whole log into memory or into a model's context; known secret
/// values are hidden, as from <c>agent_logs</c>, because the text goes on to a model's provider.
/// </summary>
internal sealed class AgentLogText(IAgentStore agents, IInstanceStore instances, RuntimeCatalog runtimes, SecretRedactor redactor, TimeProvider time)
{
    public const int Lines = 200;
    public const int MaxBytes = 256 * 1024;

    public async Task<string> ReadAsync(AgentRecord agent, CancellationToken cancellationToken)
    {
        var (source, _) = await AgentLogSource.ResolveAsync(
            agent.Name, Lines, since: null, follow: false, instance: null, agents, instances, runtimes, time, cancellationToken, pluginAgents: true);
        if (source is null)
        {
            return ""; // removed since it was looked up
        }

        var text = new StringBuilder();
        foreach (var entry in await source.ReadTailAsync(cancellationToken, MaxBytes))
        {
            text.Append(entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
                .Append(' ').Append(entry.InstanceId)
                .Append(entry.Source == LogSource.Stderr ? " stderr " : " stdout ")
                .Append(redactor.Redact(entry.Line)).Append('\n');
        }

        return text.ToString();
    }
}
