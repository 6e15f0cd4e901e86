using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Runtime;

public sealed partial class DockerAgentRuntime
{
    /// <summary>
    /// Returns the id of this server's network for the agent, creating <c>berth-{agent}</c> when it has none.
    /// Another Berth server sharing the engine may hold that name; this one then uses <c>berth-{agent}-{owner}</c>,
    /// so neither removes a network the other's containers sit on, and no name is ambiguous (the engine refuses to
    /// start a container whose network name matches two networks).
    /// </summary>
    private async Task<string> EnsureNetworkAsync(string agentName, CancellationToken cancellationToken)
    {
        // one server never races itself; races with other servers are settled below
        await _networkGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await FindOwnNetworkAsync(agentName, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return existing.Id;
            }

            var preferred = NetworkName(agentName);
            var qualified = $"{preferred}-{_options.OwnerId}";
            if (await TryCreateNetworkAsync(preferred, agentName, cancellationToken).ConfigureAwait(false) is { } id)
            {
                // CheckDuplicate is best effort: another server creating at the same moment may also succeed. Whoever
                // sees a namesake after creating backs off; the later of two always sees the earlier, so at most one keeps the name.
                if (!await HasNamesakeAsync(agentName, preferred, id, cancellationToken).ConfigureAwait(false))
                {
                    DockerRuntimeLog.NetworkCreated(_logger, agentName, preferred);
                    return id;
                }

                await _client.RemoveNetworkAsync(id, cancellationToken).ConfigureAwait(false);
            }

            if (await TryCreateNetworkAsync(qualified, agentName, cancellationToken).ConfigureAwait(false) is { } own)
            {
                DockerRuntimeLog.NetworkCreated(_logger, agentName, qualified);
                return own;
            }

            throw new RuntimeException(
                $"agent '{agentName}': networks named '{preferred}' and '{qualified}' exist but are not this Berth server's: " +
                $"remove the stale one (docker network rm {qualified}) or rename the agent",
                RuntimeErrorKind.Config);
        }
        finally
        {
            _networkGate.Release();
        }
    }

    /// <summary>Creates the network and returns its id; null when the name is taken.</summary>
    private async Task<string?> TryCreateNetworkAsync(string name, string agentName, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CreateNetworkAsync(NetworkRequest(name, agentName), cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex) when (ex.IsConflict)
        {
            return null;
        }
    }

    private NetworkCreateRequest NetworkRequest(string name, string agentName) => new()
    {
        Name = name,
        CheckDuplicate = true,
        Labels = new Dictionary<string, string>
        {
            [DockerLabels.Managed] = "true",
            [DockerLabels.Owner] = _options.OwnerId,
            [DockerLabels.Agent] = agentName,
        },
    };

    private async Task<NetworkInspect?> FindOwnNetworkAsync(string agentName, CancellationToken cancellationToken)
    {
        var owned = await _client.ListNetworksAsync(
            [DockerLabels.ManagedFilter, DockerLabels.OwnerFilter(_options.OwnerId), DockerLabels.AgentFilter(agentName)], cancellationToken).ConfigureAwait(false);
        return owned.MinBy(n => n.Id, StringComparer.Ordinal);
    }

    private async Task<bool> HasNamesakeAsync(string agentName, string name, string id, CancellationToken cancellationToken)
    {
        var networks = await _client.ListNetworksAsync([DockerLabels.ManagedFilter, DockerLabels.AgentFilter(agentName)], cancellationToken).ConfigureAwait(false);
        return networks.Any(n => n.Name == name && n.Id != id);
    }
}
