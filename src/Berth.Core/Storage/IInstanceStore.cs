using Berth.Core.Agents;

namespace Berth.Core.Storage;

/// <summary>Observed state of instances, written by the reconciler.</summary>
public interface IInstanceStore
{
    /// <summary>Instances of one agent (or of all agents when <paramref name="agentName"/> is null), ordered by agent then ordinal.</summary>
    Task<IReadOnlyList<InstanceRecord>> ListAsync(string? agentName, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the record with the same <see cref="InstanceRecord.InstanceId"/>.</summary>
    Task UpsertAsync(InstanceRecord instance, CancellationToken cancellationToken);

    /// <summary>Deletes the record; no-op when unknown.</summary>
    Task DeleteAsync(string instanceId, CancellationToken cancellationToken);
}
