using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Llm;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Problems;
using Berth.Server.Secrets;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Llm;

/// <summary>The <c>/api/v1/model-endpoints</c> routes: list, get, apply and remove model endpoints.</summary>
internal static class ModelEndpointsApi
{
    public static RouteGroupBuilder MapModelEndpointsApi(this RouteGroupBuilder api)
    {
        var endpoints = api.MapGroup("/model-endpoints").WithTags("LLM gateway");
        var reads = endpoints.MapGroup("").RequireAuthorization(BerthPolicies.Viewer);
        var changes = endpoints.MapGroup("").RequireAuthorization(BerthPolicies.Operator);
        reads.MapGet("/", ListAsync).WithName("ListModelEndpoints");
        reads.MapGet("/{name}", GetAsync).WithName("GetModelEndpoint");
        changes.MapPut("/{name}", ApplyAsync).WithName("ApplyModelEndpoint")
            .Accepts<JsonObject>(SpecBody.MediaTypes[0], SpecBody.MediaTypes[1..])
            .WithDescription("Body: a kind: ModelEndpoint document, the same YAML or JSON that berth apply reads. The key is named as ${secret:NAME}, a secret that must exist.");
        changes.MapDelete("/{name}", RemoveAsync).WithName("RemoveModelEndpoint")
            .WithDescription("Removes the endpoint; the calls recorded through it stay in the usage ledger.");
        return api;
    }

    /// <summary>The path a client's SDK takes as its base URL for <paramref name="endpoint"/>.</summary>
    public static string BasePath(ModelEndpointSpec endpoint) =>
        endpoint.Provider == ModelProvider.Anthropic ? $"/llm/{endpoint.Name}" : $"/llm/{endpoint.Name}/v1";

    private static async Task<Ok<IReadOnlyList<ModelEndpointView>>> ListAsync(IModelEndpointStore store, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<ModelEndpointView>>([.. (await store.ListAsync(ct)).Select(View)]);

    private static async Task<Results<Ok<ModelEndpointView>, ProblemHttpResult>> GetAsync(string name, IModelEndpointStore store, CancellationToken ct) =>
        await store.GetAsync(name, ct) is { } endpoint ? TypedResults.Ok(View(endpoint)) : LlmProblems.EndpointNotFound(name);

    private static async Task<Results<Created<ResourceApplyResponse>, Ok<ResourceApplyResponse>, ProblemHttpResult>> ApplyAsync(
        string name, HttpRequest request, IModelEndpointStore store, SecretVault secrets, ModelEndpointCatalog catalog, CancellationToken ct)
    {
        var (spec, invalid) = await SpecBody.ReadAsync<ModelEndpointSpec>(request, name, "ModelEndpoint", e => e.Name, null, ct);
        if (invalid is not null)
        {
            return invalid;
        }

        // The key must exist when the endpoint is applied; one deleted later fails the endpoint's calls (naming it) instead.
        if (spec!.ApiKey is { } reference && SecretReference.Scan(reference).First() is var (secret, _) && !await secrets.ExistsAsync(secret, ct))
        {
            return Problems.Problems.Validation([new SpecError("spec.apiKey", $"secret '{secret}' does not exist; create it with 'berth secrets set {secret}'")]);
        }

        var outcome = await store.ApplyAsync(spec, ct);
        catalog.Invalidate();
        var response = new ResourceApplyResponse("ModelEndpoint", spec.Name, outcome);
        return outcome == ApplyOutcome.Created ? TypedResults.Created($"/api/v1/model-endpoints/{name}", response) : TypedResults.Ok(response);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(string name, IModelEndpointStore store, ModelEndpointCatalog catalog, CancellationToken ct)
    {
        if (!await store.DeleteAsync(name, ct))
        {
            return LlmProblems.EndpointNotFound(name);
        }

        catalog.Invalidate();
        return TypedResults.NoContent();
    }

    private static ModelEndpointView View(ModelEndpointSpec endpoint) => new() { Name = endpoint.Name, Spec = endpoint, BasePath = BasePath(endpoint) };
}
