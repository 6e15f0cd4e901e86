using Berth.Client;

namespace Berth.Cli.Commands.Bench;

/// <summary>Where <c>berth bench</c> gets its <see cref="IAgentResourceSampler"/> for a client.</summary>
internal static class ResourceSamplers
{
    /// <summary>The sampler the verb uses: the server's per-instance stats.</summary>
    public static Func<BerthClient, IAgentResourceSampler> Default { get; } = client => new StatsResourceSampler(client);

    /// <summary>Answers null: nothing to sample from.</summary>
    internal sealed class Unavailable : IAgentResourceSampler
    {
        public static readonly Unavailable Instance = new();

        public Task<ResourceSample?> SampleAsync(string agent, CancellationToken cancellationToken) => Task.FromResult<ResourceSample?>(null);
    }
}
