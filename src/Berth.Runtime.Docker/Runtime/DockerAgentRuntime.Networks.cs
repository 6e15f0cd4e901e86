using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Runtime;

public sealed partial class DockerAgentRuntime
{
    /// <summary>
    /// Returns the id of this server's network for the agent, creating it when missing. The name carries the
    /// owner (<c>berth-{agent}-{owner}</c>) because the engine resolves a container's network by name when it
    /// starts it: two servers sharing one engine must never hold networks of the same name, even for a moment.
    /// </summary>
    private async Task<string> EnsureNetworkAsync(string agentName, CancellationToken cancellationToken)
    {
        // one server never races itself
        await _networkGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await FindOwnNetworkAsync(agentName, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return existing.Id;
            }

            var name = NetworkName(agentName);
            if (await TryCreateNetworkAsync(name, agentName, cancellationToken).ConfigureAwait(false) is { } id)
            {
                DockerRuntimeLog.NetworkCreated(_logger, agentName, name);
                return id;
            }

            throw new RuntimeException(
                $"agent '{agentName}': a network named '{name}' exists but is not labelled as this Berth server's: " +
                $"remove the stale one (docker network rm {name}) or rename the agent",
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
}
