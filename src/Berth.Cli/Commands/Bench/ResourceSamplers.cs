using Berth.Client;

namespace Berth.Cli.Commands.Bench;

/// <summary>Where <c>berth bench</c> gets its <see cref="IAgentResourceSampler"/> for a client.</summary>
internal static class ResourceSamplers
{
    /// <summary>
    /// The sampler the verb uses. None yet: this build's client has no per-instance stats call, so CPU and memory are reported as
    /// not sampled. Replace with a sampler over the client's stats once it has one.
    /// </summary>
    public static Func<BerthClient, IAgentResourceSampler> Default { get; } = _ => Unavailable.Instance;

    /// <summary>Answers null: nothing to sample from.</summary>
    internal sealed class Unavailable : IAgentResourceSampler
    {
        public static readonly Unavailable Instance = new();

        public Task<ResourceSample?> SampleAsync(string agent, CancellationToken cancellationToken) => Task.FromResult<ResourceSample?>(null);
    }
}
