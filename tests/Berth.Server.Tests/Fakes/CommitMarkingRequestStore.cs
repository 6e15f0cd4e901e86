using Berth.Core.Requests;
using Berth.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Fakes;

/// <summary>
/// The server's real request store, which creates a file named after each new request once the transaction holding it
/// has committed, so an agent can tell whether the request it got was committed before it was forwarded.
/// </summary>
internal sealed class CommitMarkingRequestStore(IRequestStore inner, string markers) : IRequestStore
{
    /// <summary>Replaces the registered <see cref="IRequestStore"/> with itself around the original.</summary>
    public static void Decorate(IServiceCollection services, string markers)
    {
        var original = services.Single(d => d.ServiceType == typeof(IRequestStore));
        var type = original.ImplementationType ?? throw new InvalidOperationException("the request store is expected to be registered by type");
        services.Remove(original);
        services.AddSingleton(type);
        services.AddSingleton<IRequestStore>(sp => new CommitMarkingRequestStore((IRequestStore)sp.GetRequiredService(type), markers));
    }

    public async Task SaveAsync(IReadOnlyList<ProxiedRequest> requests, CancellationToken cancellationToken)
    {
        await inner.SaveAsync(requests, cancellationToken);
        foreach (var request in requests.Where(r => r.Message is not null))
        {
            await File.WriteAllTextAsync(Path.Combine(markers, request.Id), "", cancellationToken);
        }
    }

    public Task<ProxiedRequest?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<ProxiedRequest?> FindByKeyAsync(string agentName, string scope, string idempotencyKey, CancellationToken cancellationToken) =>
        inner.FindByKeyAsync(agentName, scope, idempotencyKey, cancellationToken);

    public Task<IReadOnlyList<ProxiedRequest>> ListAsync(RequestQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

    public Task<IReadOnlyList<ProxiedRequest>> ClaimDueAsync(
        string agentName, DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken) =>
        inner.ClaimDueAsync(agentName, now, owner, leaseUntil, limit, cancellationToken);

    public Task<IReadOnlyList<RequestStateCount>> CountOpenAsync(CancellationToken cancellationToken) => inner.CountOpenAsync(cancellationToken);

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> PendingAgentsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.PendingAgentsAsync(now, cancellationToken);

    public Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken) => inner.ReleaseLeasesAsync(owner, cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => inner.DeleteAsync(id, cancellationToken);

    public Task<int> PurgeAsync(string agentName, RequestState? state, DateTimeOffset? finishedBefore, CancellationToken cancellationToken) =>
        inner.PurgeAsync(agentName, state, finishedBefore, cancellationToken);
}
