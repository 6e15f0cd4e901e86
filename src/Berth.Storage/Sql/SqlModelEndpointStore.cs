using Berth.Core.Llm;
using Berth.Core.Storage;

namespace Berth.Storage.Sql;

/// <summary>Applied model endpoints in the <c>model_endpoints</c> table; each spec is the API's JSON (the key a secret reference).</summary>
internal sealed class SqlModelEndpointStore(StoreDatabase database, TimeProvider timeProvider) : IModelEndpointStore
{
    private static readonly SpecTable<ModelEndpointSpec> Endpoints = new("model_endpoints", "ModelEndpoint", e => e.Name);

    public Task<IReadOnlyList<ModelEndpointSpec>> ListAsync(CancellationToken cancellationToken) => Endpoints.ListAsync(database, cancellationToken);

    public Task<ModelEndpointSpec?> GetAsync(string name, CancellationToken cancellationToken) => Endpoints.GetAsync(database, name, cancellationToken);

    public Task<ApplyOutcome> ApplyAsync(ModelEndpointSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Endpoints.ApplyAsync(database, spec, extra: null, timeProvider.GetUtcNow(), cancellationToken);
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => Endpoints.DeleteAsync(database, name, cancellationToken);
}
