namespace Berth.Server.Hosting;

/// <summary>Which runtime drivers the server uses.</summary>
public enum RuntimeMode
{
    /// <summary>Process agents on the process driver; container agents on docker when an engine answers.</summary>
    Auto,

    /// <summary>Like <see cref="Auto"/>, but the server refuses to start when no Docker engine answers.</summary>
    Docker,

    /// <summary>Only the process driver; container agents are refused at apply.</summary>
    Process,

    /// <summary>Container agents as Docker Swarm services through a manager node's engine; process agents on the process driver.</summary>
    Swarm,
}
