using Berth.Core.Runtime;

namespace Berth.Server.Hosting;

/// <summary>
/// Whose the agents are and where their working state lives on this host. On the embedded store they are this server's own,
/// keyed by its server id. On a shared store they belong to the store, keyed by its id, in host-wide places that every server
/// of that store on this host finds: the next leader adopts the process agents (their state, homes and files) and the
/// containers of the one before.
/// </summary>
/// <param name="Owner">The server id, or the store id on a shared store: docker's owner label and the key of the places below.</param>
/// <param name="Shared">Whether several servers may use these places (a shared store).</param>
/// <param name="ProcessState">The process driver's state directory: <c>{data-dir}/process</c>, or on a shared store
/// <c>/var/lib/berth/stores/{store-id}/process</c> for root and <c>~/.local/share/berth/stores/{store-id}/process</c> otherwise.</param>
/// <param name="Files">Agents' <c>files</c>, on tmpfs: <c>Berth:FilesDirectory</c>, or <c>/dev/shm/berth-{owner}</c>.</param>
/// <param name="Agents">Process agents' homes, outside the data directory and somewhere an agent's uid can pass through (a root
/// server's home is closed to it): <c>/var/lib/berth/agents/{owner}</c> for root; otherwise <c>{data-dir}-agents</c>, or on a
/// shared store <c>~/.local/share/berth/stores/{store-id}/agents</c>.</param>
internal sealed record AgentPlaces(string Owner, bool Shared, string ProcessState, string Files, string Agents)
{
    private const string RootPlaces = "/var/lib/berth";

    public static AgentPlaces For(BerthOptions server, ServerId serverId, StoreIdentityCheck identity)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(serverId);
        ArgumentNullException.ThrowIfNull(identity);
        var shared = server.Store is not null;
        var owner = shared ? identity.StoreId : serverId.Value;
        var root = UnixFiles.EffectiveUserId == 0;
        var storePlaces = Path.Combine(root ? RootPlaces : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "berth"), "stores", owner);
        return new AgentPlaces(
            owner,
            shared,
            shared ? Path.Combine(storePlaces, "process") : Path.Combine(server.DataDir, "process"),
            server.FilesDirectory ?? $"/dev/shm/berth-{owner}",
            root ? $"{RootPlaces}/agents/{owner}" : shared ? Path.Combine(storePlaces, "agents") : $"{Path.TrimEndingDirectorySeparator(server.DataDir)}-agents");
    }
}
