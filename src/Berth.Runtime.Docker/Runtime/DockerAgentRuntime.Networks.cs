using System.Net;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Runtime;

public sealed partial class DockerAgentRuntime
{
    private const int MaxSubnetAttempts = 3;

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
            if (await CreateNetworkAsync(name, agentName, cancellationToken).ConfigureAwait(false) is { } id)
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

    /// <summary>
    /// Creates the network and returns its id; null when the name is taken. With <c>Berth:Docker:AgentSubnets</c> set, the block is
    /// picked from the range; another server sharing the engine may take the same block between listing and creating, so a block
    /// the engine calls overlapping is picked again from a fresh list.
    /// </summary>
    private async Task<string?> CreateNetworkAsync(string name, string agentName, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ipam = await AgentIpamAsync(agentName, cancellationToken).ConfigureAwait(false);
            try
            {
                return await _client.CreateNetworkAsync(NetworkRequest(name, agentName, ipam), cancellationToken).ConfigureAwait(false);
            }
            catch (DockerEngineException ex) when (ex.IsConflict)
            {
                return null;
            }
            catch (DockerEngineException ex) when (ipam is not null && attempt < MaxSubnetAttempts && IsPoolOverlap(ex))
            {
                DockerRuntimeLog.SubnetTaken(_logger, agentName, ipam.Config![0].Subnet!);
            }
            catch (DockerEngineException ex) when (ipam is null && IsDefaultPoolsExhausted(ex))
            {
                throw DefaultPoolsExhausted(agentName, ex);
            }
        }
    }

    /// <summary>The network's address block from <c>Berth:Docker:AgentSubnets</c>; null when unset (the engine picks).</summary>
    private async Task<NetworkIpam?> AgentIpamAsync(string agentName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_options.AgentSubnets))
        {
            return null;
        }

        if (!DockerRuntimeOptionsValidator.TryParseRange(_options.AgentSubnets, out var range))
        {
            throw new RuntimeException($"Berth:Docker:AgentSubnets '{_options.AgentSubnets}' is not an IPv4 range in CIDR form such as 10.213.0.0/16", RuntimeErrorKind.Config);
        }

        // every engine network counts, Berth's or not: the engine refuses a block that overlaps any of them
        var networks = await _client.ListNetworksAsync([], cancellationToken).ConfigureAwait(false);
        var used = networks
            .SelectMany(n => n.Ipam?.Config ?? [])
            .Select(c => AgentSubnetPicker.ParseUsed(c.Subnet))
            .OfType<IPNetwork>()
            .ToList();
        var block = AgentSubnetPicker.Next(range, _options.AgentSubnetPrefix, used)
            ?? throw new RuntimeException(
                $"agent '{agentName}': no free /{_options.AgentSubnetPrefix} block is left in Berth:Docker:AgentSubnets ({range}); " +
                "remove unused agents or networks, give Berth:Docker:AgentSubnets a larger free private range, " +
                "or a longer Berth:Docker:AgentSubnetPrefix for smaller networks",
                RuntimeErrorKind.Config);
        return new NetworkIpam
        {
            Config = [new NetworkIpamConfig { Subnet = block.ToString(), Gateway = AgentSubnetPicker.Gateway(block).ToString() }],
        };
    }

    /// <summary>The engine's answer when a requested block overlaps one of its networks.</summary>
    internal static bool IsPoolOverlap(DockerEngineException ex) =>
        ex.EngineMessage?.Contains("overlaps with other one", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The engine's answer when its default address pools have no network left to give.</summary>
    internal static bool IsDefaultPoolsExhausted(DockerEngineException ex) =>
        ex.EngineMessage?.Contains("could not find an available, non-overlapping IPv4 address pool", StringComparison.OrdinalIgnoreCase) == true;

    internal static RuntimeException DefaultPoolsExhausted(string agentName, DockerEngineException ex) => new(
        $"agent '{agentName}': the Docker engine has no address pool left for another network ({ex.EngineMessage}); " +
        "set Berth:Docker:AgentSubnets to a free private range such as 10.213.0.0/16, or give dockerd smaller default-address-pools",
        RuntimeErrorKind.Config,
        ex);

    private NetworkCreateRequest NetworkRequest(string name, string agentName, NetworkIpam? ipam) => new()
    {
        Ipam = ipam,
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
