using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Runtimes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Agents;

/// <summary>
/// The instances and the query a request for an agent's logs names, checked once for the API's stream
/// (<see cref="AgentLogs"/>) and the MCP <c>agent_logs</c> tool alike: the agent exists, <c>tail</c> is within the server's
/// limit, <c>since</c> is a duration or a time. <see cref="Driver"/> is null when no runtime here runs the agent.
/// </summary>
internal sealed record AgentLogSource(IAgentRuntime? Driver, IReadOnlyList<string> Instances, LogQuery Query)
{
    public static async Task<(AgentLogSource? Source, ProblemHttpResult? Problem)> ResolveAsync(
        string name, int? tail, string? since, bool follow, string? instance,
        IAgentStore agents, IInstanceStore instances, RuntimeCatalog runtimes, TimeProvider time, CancellationToken ct, bool pluginAgents = false)
    {
        // A plugin's pool (or check instance) is not an agent users see; the registry reads its logs itself.
        var agent = await agents.GetAsync(name, ct);
        if (agent is null || (agent.Plugin is not null && !pluginAgents))
        {
            return (null, Problems.Problems.AgentNotFound(name));
        }

        if (tail is < 0 or > LogQuery.MaxTail)
        {
            return (null, Problems.Problems.BadRequest(
                $"tail must be between 0 and {LogQuery.MaxTail} lines (the server's limit); got {tail}. Leave tail out to stream every line kept."));
        }

        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (!Since.TryParse(since, time.GetUtcNow(), out var parsed))
            {
                return (null, Problems.Problems.BadRequest($"since must be {Since.Hint}; got '{since}'."));
            }

            from = parsed;
        }

        var targets = (await instances.ListAsync(name, ct))
            .Where(i => instance is null || i.InstanceId == instance)
            .Select(i => i.InstanceId)
            .ToList();
        if (instance is not null && targets.Count == 0)
        {
            return (null, Problems.Problems.Problem(StatusCodes.Status404NotFound, "Instance not found", Problems.Problems.NotFoundType,
                $"Agent '{name}' has no instance '{instance}'. See 'berth describe agent {name}'."));
        }

        var query = new LogQuery { Tail = tail, Since = from, Follow = follow };
        return (new AgentLogSource(runtimes.Configured(agent.Spec.Kind), targets, query), null);
    }

    /// <summary>The lines of every instance merged in time order, as they come (each instance's lines are in time order already).</summary>
    public IAsyncEnumerable<LogEntry> ReadMerged(CancellationToken ct) =>
        Driver is null
            ? AsyncEnumerable.Empty<LogEntry>()
            : LogMerge.ByTime(Instances.Select(id => Driver.ReadLogsAsync(id, Query, ct)).ToList(), ct);

    /// <summary>The last <see cref="LogQuery.Tail"/> lines within <paramref name="maxBytes"/> (default <see cref="LogQuery.MaxTailBytes"/>), held in memory.</summary>
    public Task<List<LogEntry>> ReadTailAsync(CancellationToken ct, int maxBytes = LogQuery.MaxTailBytes) =>
        LogTail.LastAsync(ReadMerged(ct), Query.Tail ?? LogQuery.MaxTail, maxBytes, ct);
}
