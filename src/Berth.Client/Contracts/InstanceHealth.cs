using Berth.Core.Agents;

namespace Berth.Client.Contracts;

/// <summary>One instance's answer to a health probe run on demand.</summary>
public sealed record InstanceHealth
{
    /// <summary>Berth's id for the instance.</summary>
    public required string Id { get; init; }

    /// <summary>Replica slot, 0-based.</summary>
    public required int Ordinal { get; init; }

    /// <summary>Its lifecycle state as the reconciler last recorded it (the probe does not change it).</summary>
    public required InstanceState State { get; init; }

    /// <summary>True when the probe passed: a 2xx or 3xx answer, or an open TCP port.</summary>
    public required bool Healthy { get; init; }

    /// <summary>The HTTP status the health path answered; null for a TCP probe, a probe that got no answer, or an instance not probed.</summary>
    public int? StatusCode { get; init; }

    /// <summary>What was seen: <c>GET /health 200</c>, the error, or why the instance was not probed (it is not running).</summary>
    public required string Detail { get; init; }

    /// <summary>How long the probe took, in milliseconds; null when the instance was not probed.</summary>
    public double? LatencyMs { get; init; }
}
