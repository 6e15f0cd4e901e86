using System.Text.Json.Nodes;
using Berth.Core.Llm;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Llm;

/// <summary>
/// <c>GET v1/models</c>, answered by Berth in the provider's own shape from the endpoint's spec: the names (and aliases) a
/// caller may use, so a client lists what it can call without the provider's full catalogue, and without a call upstream.
/// </summary>
internal static class LlmModelList
{
    public static IResult Answer(ModelEndpointSpec endpoint, Func<ModelEntry, bool> mayUse)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var ids = endpoint.Models.Where(mayUse).SelectMany(m => m.Alias is { } alias ? new[] { m.Name, alias } : [m.Name]).ToList();
        JsonObject answer = endpoint.Provider == ModelProvider.Anthropic
            ? new JsonObject
            {
                ["data"] = new JsonArray([.. ids.Select(id => (JsonNode)new JsonObject
                {
                    ["type"] = "model", ["id"] = id, ["display_name"] = id, ["created_at"] = "1970-01-01T00:00:00Z",
                })]),
                ["has_more"] = false,
                ["first_id"] = ids.FirstOrDefault(),
                ["last_id"] = ids.LastOrDefault(),
            }
            : new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray([.. ids.Select(id => (JsonNode)new JsonObject
                {
                    ["id"] = id, ["object"] = "model", ["created"] = 0, ["owned_by"] = endpoint.Name,
                })]),
            };
        return TypedResults.Text(answer.ToJsonString(), "application/json");
    }
}
