using System.Text.Json;
using Berth.Core.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Problems;

/// <summary>Reads the spec a <c>PUT /api/v1/{kind}s/{name}</c> carries, or the problem that says why it cannot be read.</summary>
internal static class SpecBody
{
    /// <param name="request">The request whose body is the spec as JSON.</param>
    /// <param name="urlName">The name the URL gives; the spec's must match it.</param>
    /// <param name="kind">What the spec describes, for messages: <c>agent</c>, <c>workflow</c>.</param>
    /// <param name="nameOf">The spec's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<(T? Spec, ProblemHttpResult? Problem)> ReadAsync<T>(
        HttpRequest request, string urlName, string kind, Func<T, string> nameOf, CancellationToken cancellationToken)
        where T : class
    {
        T? spec;
        try
        {
            spec = await JsonSerializer.DeserializeAsync<T>(request.Body, BerthJson.Options, cancellationToken);
        }
        catch (JsonException ex)
        {
            return (null, Problems.InvalidJson(ex, "spec"));
        }

        if (spec is null)
        {
            return (null, Problems.BadRequest($"The request body must be {(kind.StartsWith('a') ? "an" : "a")} {kind} spec as JSON."));
        }

        return nameOf(spec) == urlName
            ? (spec, null)
            : (null, Problems.BadRequest($"The URL names {kind} '{urlName}' but the spec is named '{nameOf(spec)}'; they must match."));
    }
}
