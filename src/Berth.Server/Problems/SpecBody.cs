using System.Text;
using Berth.Core.Specs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Problems;

/// <summary>
/// Reads the spec document a <c>PUT /api/v1/{kind}s/{name}</c> carries, as YAML (the file a user applies with the CLI) or JSON,
/// through the same reader as <c>berth apply</c>, so both give the same errors with the same paths and positions. The server
/// reads no environment: a <c>${VAR}</c> in the body is an error telling the author to substitute it on the client.
/// </summary>
internal static class SpecBody
{
    /// <summary>The media types a spec may be sent as; the routes declare them, so another is answered 415 before this reads it (a body with no Content-Type is read as YAML, which JSON also is).</summary>
    public static readonly string[] MediaTypes = ["application/json", "application/yaml"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="request">The request whose body is the document.</param>
    /// <param name="urlName">The name the URL gives; the document's <c>metadata.name</c> must match it.</param>
    /// <param name="kind">The kind the route takes: <c>Agent</c>, <c>Workflow</c>.</param>
    /// <param name="nameOf">The spec's name.</param>
    /// <param name="context">What the server knows that a spec cannot tell (its data directory).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<(T? Spec, ProblemHttpResult? Problem)> ReadAsync<T>(
        HttpRequest request, string urlName, string kind, Func<T, string> nameOf, SpecValidationContext? context, CancellationToken cancellationToken)
        where T : class
    {
        string text;
        try
        {
            using var reader = new StreamReader(request.Body, StrictUtf8);
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            return (null, Problems.BadRequest("The body is not valid UTF-8; send the document as UTF-8 text."));
        }

        var set = SpecReader.Read(text, new SpecReadOptions { Environment = null, SourceName = "body", ValidationContext = context });
        if (!set.IsValid)
        {
            return (null, Problems.Validation(set.Errors));
        }

        if (set.Resources is not [var resource])
        {
            return (null, Problems.BadRequest($"The body must hold one {kind} document; it holds {set.Resources.Count}. Apply a file of several with 'berth apply -f'."));
        }

        if (resource is not T spec)
        {
            return (null, Problems.BadRequest($"The body is not a kind: {kind} document; send each kind to its own route (/api/v1/agents/{{name}}, /api/v1/workflows/{{name}})."));
        }

        var name = nameOf(spec);
        return name == urlName
            ? (spec, null)
            : (null, Problems.BadRequest($"The URL names {kind.ToLowerInvariant()} '{urlName}' but the document's metadata.name is '{name}'; they must match."));
    }
}
