using Berth.Server.Audit;
using Berth.Server.Tests.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Audit;

/// <summary>Every route that can change something says, in its metadata, whether it is audited; generated from the endpoint data source.</summary>
public sealed class AuditCoverageTests(MatrixFixture fixture) : IClassFixture<MatrixFixture>
{
    private static readonly string[] Mutations = ["POST", "PUT", "PATCH", "DELETE"];

    private IReadOnlyList<Endpoint> Endpoints => fixture.Server.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints;

    [Fact]
    public void Endpoints_EveryMutatingRoute_CarriesAuditMetadata()
    {
        var mutating = MutatingRoutes(Endpoints);

        mutating.Count.ShouldBeGreaterThan(10, "the endpoint data source should list the server's mutating routes");
        Unaudited(Endpoints).ShouldBeEmpty("a route that can change Berth must be audited, or exempt with a reason");
    }

    [Fact]
    public void Endpoints_ApiRoutes_AreAuditedAndOnlyTheProxyIsExempt()
    {
        var exempt = MutatingRoutes(Endpoints)
            .Where(r => r.Endpoint.Metadata.GetMetadata<AuditMetadata>() is { Audited: false })
            .Select(r => r.Endpoint.RoutePattern.RawText)
            .Distinct()
            .ToList();

        exempt.ShouldBe(["/agents/{name}/{**path}", "/llm/{endpoint}/{**path}", "/capabilities/{capability}/{**path}", "/mcp/", "/mcp/gateway/"], ignoreOrder: true);
    }

    [Fact]
    public void Unaudited_RouteAddedWithoutMetadata_IsReported()
    {
        var added = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/api/v2/forgotten"), 0, new EndpointMetadataCollection(new HttpMethodMetadata(["DELETE"])), "forgotten");

        Unaudited([.. Endpoints, added]).ShouldBe(["DELETE /api/v2/forgotten"]);
    }

    private static List<(string Method, RouteEndpoint Endpoint)> MutatingRoutes(IEnumerable<Endpoint> endpoints) =>
        endpoints.OfType<RouteEndpoint>()
            // an endpoint without method metadata (the proxy) takes every method
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? Mutations).Select(m => (m, e)))
            .Where(r => Mutations.Contains(r.Item1, StringComparer.OrdinalIgnoreCase))
            .ToList();

    private static List<string> Unaudited(IEnumerable<Endpoint> endpoints) =>
        MutatingRoutes(endpoints)
            .Where(r => r.Endpoint.Metadata.GetMetadata<AuditMetadata>() is not { Audited: true } and not { Reason.Length: > 0 })
            .Select(r => $"{r.Method} /{r.Endpoint.RoutePattern.RawText!.TrimStart('/')}")
            .ToList();
}
