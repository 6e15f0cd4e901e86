using Berth.Core.Llm;
using Berth.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using P = Berth.Server.Problems.Problems;

namespace Berth.Server.Llm;

/// <summary>The gateway's own answers (the provider's answers pass through as they are).</summary>
internal static class LlmProblems
{
    public const string UsageUnrecordedType = "urn:berth:problem:usage-unrecorded";

    public static ProblemHttpResult EndpointNotFound(string name) => P.Problem(
        StatusCodes.Status404NotFound, "Model endpoint not found", P.NotFoundType, $"No model endpoint named '{name}'. List them with 'berth model-endpoints ls'.");

    public static ProblemHttpResult PathNotServed(ModelEndpointSpec endpoint, string method, string path) => P.Problem(
        StatusCodes.Status404NotFound, "Not served by the gateway", P.NotFoundType,
        $"{method} {Shown(path)} is not served for model endpoint '{endpoint.Name}' ({endpoint.Provider.WireName()}); it serves {LlmOperation.Served(endpoint.Provider)} under /llm/{endpoint.Name}/.");

    public static ProblemHttpResult ModelNotListed(ModelEndpointSpec endpoint, string model) => P.Problem(
        StatusCodes.Status404NotFound, "Model not offered", P.NotFoundType,
        $"Model endpoint '{endpoint.Name}' does not offer model '{model}'; it offers {string.Join(", ", endpoint.Models.Select(Describe))}.");

    public static ProblemHttpResult ModelNotGranted(string agent, ModelEndpointSpec endpoint, ModelEntry model) => P.Problem(
        StatusCodes.Status403Forbidden, "Forbidden", BearerTokenHandler.ForbiddenType,
        $"Agent '{agent}' may not use model '{model.Name}' of endpoint '{endpoint.Name}': add '{endpoint.Name}' or '{endpoint.Name}/{model.Alias ?? model.Name}' to its spec's access.models and apply it.");

    public static ProblemHttpResult UsageUnrecorded(string endpoint) => P.Problem(
        StatusCodes.Status503ServiceUnavailable, "Usage cannot be recorded", UsageUnrecordedType,
        $"The call to model endpoint '{endpoint}' was not sent: Berth could not record it, and never lets a call through unmetered. Try again; if it persists, the store needs attention (see the server log).");

    public static ProblemHttpResult NoAnswer(string endpoint, IReadOnlyList<string> failovers) => P.Problem(
        StatusCodes.Status502BadGateway, "No provider answered", P.BadGatewayType,
        $"Model endpoint '{endpoint}' got no answer from any provider it tried: {string.Join("; ", failovers)}.");

    private static string Describe(ModelEntry model) => model.Alias is { } alias ? $"{model.Name} (alias {alias})" : model.Name;

    private static string Shown(string path) => path.Length > 100 ? path[..100] + "…" : path;
}
