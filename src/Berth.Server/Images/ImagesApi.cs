using Berth.Client.Contracts;
using Berth.Core.Runtime;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Images;

/// <summary>The <c>/api/v1/images</c> routes: <c>POST /build</c> builds an uploaded context through the Engine API (operator).</summary>
internal static class ImagesApi
{
    public const string BuildUnavailableType = "urn:berth:problem:build-unavailable";
    public const string BuildFailedType = "urn:berth:problem:build-failed";

    public static RouteGroupBuilder MapImagesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/images/build", BuildAsync).WithTags("Images").WithName("BuildImage").RequireAuthorization(BerthPolicies.Operator)
            .Accepts<Stream>("application/gzip")
            .WithDescription("Body: the build context as a gzip-compressed tar (at most Berth:Limits:MaxRequestBodyBytes). Query: tag (required), dockerfile (default Dockerfile). Builds through the docker runtime's Engine API; 409 when the server runs the process runtime only.");
        return api;
    }

    private static async Task<Results<Ok<ImageBuildResponse>, ProblemHttpResult>> BuildAsync(
        string? tag, string? dockerfile, HttpRequest request, ImageBuilds builds, CancellationToken ct)
    {
        if (ImageReferences.TagProblem(tag) is { } tagProblem)
        {
            return Problems.Problems.BadRequest($"Query 'tag': {tagProblem}.");
        }

        dockerfile ??= "Dockerfile";
        if (ImageReferences.DockerfileProblem(dockerfile) is { } dockerfileProblem)
        {
            return Problems.Problems.BadRequest($"Query 'dockerfile': {dockerfileProblem}.");
        }

        if (builds.Docker is not { } docker)
        {
            return Problems.Problems.Problem(StatusCodes.Status409Conflict, "No image builder", BuildUnavailableType,
                "This server runs the process runtime only, so it has no Docker engine to build images with. Start it with --runtime docker (dockerd running), or build with Dagger or docker build.");
        }

        try
        {
            return TypedResults.Ok(await builds.BuildAsync(docker, request.Body, tag!, dockerfile, ct));
        }
        catch (InvalidDataException ex)
        {
            return Problems.Problems.BadRequest($"The build context cannot be used: {ex.Message}.");
        }
        catch (RuntimeException ex)
        {
            return Problems.Problems.Problem(StatusCodes.Status422UnprocessableEntity, "Image build failed", BuildFailedType, ex.Message);
        }
    }
}
