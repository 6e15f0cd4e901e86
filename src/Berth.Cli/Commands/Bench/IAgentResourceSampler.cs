namespace Berth.Cli.Commands.Bench;

/// <summary>
/// Reads an agent's resource use while <c>berth bench</c> runs. The seam for the server's per-instance stats: the bench asks
/// about once a second and reports the average and peak; a sampler that cannot tell answers null and the report says so.
/// </summary>
internal interface IAgentResourceSampler
{
    /// <summary>CPU and memory summed over the agent's instances now; null when they cannot be told.</summary>
    Task<ResourceSample?> SampleAsync(string agent, CancellationToken cancellationToken);
}
