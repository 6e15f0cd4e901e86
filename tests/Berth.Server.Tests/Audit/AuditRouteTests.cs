using Berth.Server.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Berth.Server.Tests.Audit;

public sealed class AuditRouteTests
{
    private static RouteEndpoint Endpoint(string pattern, string? name) =>
        new(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0,
            name is null ? EndpointMetadataCollection.Empty : new EndpointMetadataCollection(new EndpointNameMetadata(name)), name);

    [Theory]
    [InlineData("/api/v1/agents/{name}", "ApplyAgent", "/api/v1/agents/{name}", "agents.apply")]
    [InlineData("/api/v1/agents/{name}/restart", "RestartAgent", "/api/v1/agents/{name}/restart", "agents.restart")]
    [InlineData("/api/v1/tokens/", "CreateToken", "/api/v1/tokens", "tokens.create")]
    [InlineData("api/v1/secrets/{name}", "DeleteSecret", "/api/v1/secrets/{name}", "secrets.delete")]
    [InlineData("/agents/{name}/{**path}", null, "/agents/{name}/{**path}", null)]
    [InlineData("/api/v1/agents/{name}", null, "/api/v1/agents/{name}", null)]
    public void For_Endpoint_PatternAndVerb(string pattern, string? name, string expectedPattern, string? expectedVerb)
    {
        var route = AuditRoute.For(Endpoint(pattern, name));

        route.Pattern.ShouldBe(expectedPattern);
        route.Verb.ShouldBe(expectedVerb);
    }
}
