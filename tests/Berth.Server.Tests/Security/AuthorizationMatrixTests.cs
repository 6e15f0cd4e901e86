using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Server.Security;
using Berth.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Security;

/// <summary>Every route the server maps, against every kind of caller; generated from the endpoint data source.</summary>
public sealed partial class AuthorizationMatrixTests(MatrixFixture fixture) : IClassFixture<MatrixFixture>
{
    private IReadOnlyList<Endpoint> Endpoints => fixture.Server.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints;

    [Fact]
    public void Endpoints_Every_HasAuthorizationMetadataExceptHealthz()
    {
        var routes = EndpointPolicies.Routes(Endpoints);

        routes.Count.ShouldBeGreaterThan(10, "the endpoint data source should list the server's routes");
        EndpointPolicies.Unprotected(Endpoints).ShouldBeEmpty("every route needs a policy; only /healthz and the MCP protected-resource document are anonymous");
    }

    [Fact]
    public void Unprotected_RouteAddedWithoutPolicy_IsReported()
    {
        var added = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/api/v2/forgotten"), 0, new EndpointMetadataCollection(new HttpMethodMetadata(["GET"])), "forgotten");

        EndpointPolicies.Unprotected([.. Endpoints, added]).ShouldBe(["GET /api/v2/forgotten"]);
    }

    [Fact]
    public void Endpoints_Every_CarriesThePolicyTheDecisionsGiveIt()
    {
        var wrong = new List<string>();
        foreach (var (method, pattern, endpoint) in EndpointPolicies.Routes(Endpoints))
        {
            var expected = EndpointPolicies.Expected(method, pattern);
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList();
            var ok = expected switch
            {
                null => false,
                EndpointPolicies.Anonymous => endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null,
                _ => policies.Contains(expected),
            };
            if (!ok)
            {
                wrong.Add($"{method} {pattern}: expected {expected ?? "(not in the policy table: add it to EndpointPolicies.Expected)"}, has [{string.Join(", ", policies)}]");
            }
        }

        wrong.ShouldBeEmpty();
    }

    [Fact]
    public async Task Matrix_EveryEndpointAndCaller_AnswersAsThePolicySays()
    {
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var (method, pattern, endpoint) in EndpointPolicies.Routes(Endpoints))
        {
            // a body of a type the route accepts, so routing does not answer 415 before authorization runs
            var contentType = endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts ? accepts.ContentTypes[0] : "application/json";
            var policy = EndpointPolicies.Expected(method, pattern) ?? BerthPolicies.Admin;
            var allowed = EndpointPolicies.Allowed(policy);
            var path = Substitute(pattern);
            foreach (var (caller, header) in fixture.Credentials)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                request.Headers.Authorization = header;
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, contentType);
                }

                using var http = fixture.Server.CreateHttp(null);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Token());
                var status = (int)response.StatusCode;
                var authenticated = caller is "viewer" or "operator" or "admin" or "agent" or "agent naming none" or "metrics";
                var expected = allowed.Contains(caller) || policy == EndpointPolicies.Anonymous ? "allowed" : authenticated ? "403" : "401";
                var actual = status switch { 401 => "401", 403 => "403", _ => "allowed" };
                if (expected != actual)
                {
                    failures.Add($"{method} {path} as {caller}: expected {expected}, got {status}");
                }
                else if (actual != "allowed" && await ProblemTypeAsync(response) != (actual == "401" ? BearerTokenHandler.UnauthorizedType : BearerTokenHandler.ForbiddenType))
                {
                    failures.Add($"{method} {path} as {caller}: {status} without the Berth problem type");
                }
                else if (actual == "401" && response.Headers.WwwAuthenticate.Count == 0)
                {
                    failures.Add($"{method} {path} as {caller}: 401 without WWW-Authenticate");
                }

                checkedCount++;
            }
        }

        failures.ShouldBeEmpty();
        checkedCount.ShouldBeGreaterThan(100);
    }

    [Fact]
    public async Task UnmappedRoute_NoToken_IsUnauthorizedNotNotFound()
    {
        using var http = fixture.Server.CreateHttp(null);

        using var response = await http.GetAsync("/no/such/route", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private string Substitute(string pattern) => Parameter().Replace(pattern, match => match.Groups[1].Value switch
    {
        "name" => "nobody",
        "documentName" => "v1",
        "id" => fixture.SpareTokenId,
        _ => "x",
    });

    private static async Task<string?> ProblemTypeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("type", out var type) ? type.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\{\**([A-Za-z]+)[^}]*\}")]
    private static partial Regex Parameter();
}
