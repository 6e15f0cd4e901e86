using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Agents;

/// <summary>Lifecycle of one instance: <c>pending → starting → running ⇄ unhealthy</c>, then <c>restarting</c>, <c>stopped</c>, <c>exited</c> or <c>failed</c>.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<InstanceState>))]
public enum InstanceState
{
    /// <summary>Decided but not started yet (preparing the image, waiting for dependencies).</summary>
    Pending,

    /// <summary>Started; not yet seen healthy.</summary>
    Starting,

    /// <summary>Started and passing its health probe.</summary>
    Running,

    /// <summary>Started but failing its health probe.</summary>
    Unhealthy,

    /// <summary>Exited; waiting for its backoff to end before starting again.</summary>
    Restarting,

    /// <summary>Stopped on purpose.</summary>
    Stopped,

    /// <summary>Exited with code 0 and its restart policy does not restart it.</summary>
    Exited,

    /// <summary>Exited with an error and will not be restarted (policy, or it could not be started).</summary>
    Failed,
}
