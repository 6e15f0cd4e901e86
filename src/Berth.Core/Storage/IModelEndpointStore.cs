using Berth.Core.Llm;

namespace Berth.Core.Storage;

/// <summary>Applied model endpoints (<c>kind: ModelEndpoint</c>). Implementations are safe for concurrent use.</summary>
public interface IModelEndpointStore
{
    /// <summary>Every endpoint, ordered by name.</summary>
    Task<IReadOnlyList<ModelEndpointSpec>> ListAsync(CancellationToken cancellationToken);

    /// <summary>One endpoint, or null when none has the name.</summary>
    Task<ModelEndpointSpec?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates the endpoint or updates its spec.</summary>
    Task<ApplyOutcome> ApplyAsync(ModelEndpointSpec spec, CancellationToken cancellationToken);

    /// <summary>Forgets an endpoint (its recorded calls stay). Returns false when unknown.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}
