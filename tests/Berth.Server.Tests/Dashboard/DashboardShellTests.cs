using System.Net;
using System.Text.RegularExpressions;
using Berth.Server.Dashboard;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Dashboard;

/// <summary>The dashboard's shell and assets over HTTP: anonymous, under a strict CSP, cached by version, and nothing else.</summary>
public sealed partial class DashboardShellTests(SharedServerFixture fixture) : IClassFixture<SharedServerFixture>
{
    private static string Version => DashboardAssets.Embedded.Version;

    [Fact]
    public async Task Shell_NoToken_ServedWithStrictPolicyAndNoCache()
    {
        using var http = fixture.Server.CreateHttp(null);

        using var response = await http.GetAsync("/ui", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldContain("default-src 'none'");
        policy.ShouldContain("script-src 'self'");
        policy.ShouldContain("connect-src 'self'");
        policy.ShouldContain("frame-ancestors 'none'");
        policy.ShouldNotContain("unsafe-inline", customMessage: "no inline script or style may run next to the token");
        policy.ShouldNotContain("unsafe-eval");
        response.Headers.CacheControl!.NoCache.ShouldBeTrue("a new server's asset version must be seen on the next load");
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        var html = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        html.ShouldContain($"/ui/assets/{Version}/app.js");
        html.ShouldNotContain(fixture.Server.AdminToken);
    }

    [Fact]
    public async Task Shell_TrailingSlash_ServedToo()
    {
        using var http = fixture.Server.CreateHttp(null);

        using var response = await http.GetAsync("/ui/", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
    }

    [Fact]
    public async Task Shell_Markup_HasNoInlineScriptOrStyle()
    {
        var html = await fixture.Server.CreateHttp(null).GetStringAsync("/ui", TestTimeouts.Token());

        ScriptTag().Matches(html).Select(m => m.Value).ShouldAllBe(tag => tag.Contains("src=\"/ui/assets/"), "every script is an asset the CSP allows");
        html.ShouldNotContain("<style", Case.Insensitive);
        html.ShouldNotContain(" style=", Case.Insensitive);
        EventHandler().IsMatch(html).ShouldBeFalse("no inline event handler attributes (onclick=…)");
    }

    [Fact]
    public async Task Assets_NoToken_EachServedImmutableWithItsType()
    {
        using var http = fixture.Server.CreateHttp(null);
        var names = DashboardAssets.Embedded.Names.ToList();
        names.ShouldContain("app.js");
        names.ShouldContain("app.css");

        foreach (var name in names)
        {
            using var response = await http.GetAsync($"/ui/assets/{Version}/{name}", TestTimeouts.Token());

            response.StatusCode.ShouldBe(HttpStatusCode.OK, name);
            response.Content.Headers.ContentType!.MediaType.ShouldBe(Path.GetExtension(name) switch
            {
                ".js" => "text/javascript",
                ".css" => "text/css",
                _ => "image/svg+xml",
            }, name);
            response.Headers.CacheControl!.ToString().ShouldContain("immutable", customMessage: name);
            response.Headers.GetValues("Content-Security-Policy").ShouldNotBeEmpty();
        }
    }

    [Theory]
    [InlineData("{version}/nope.js")]
    [InlineData("{version}/index.html")]
    [InlineData("{version}/APP.JS")]
    [InlineData("{version}/..%2Fapp.js")]
    [InlineData("{version}/%2E%2E%2F%2E%2E%2Fadmin.token")]
    [InlineData("{version}/..%5Capp.js")]
    [InlineData("0000000000000000/app.js")]
    [InlineData("..%2F{version}/app.js")]
    public async Task Asset_UnknownStaleOrTraversal_NotFoundWithoutToken(string path)
    {
        using var http = fixture.Server.CreateHttp(null);

        using var response = await http.GetAsync("/ui/assets/" + path.Replace("{version}", Version, StringComparison.Ordinal), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        body.ShouldContain("urn:berth:problem:not-found");
        body.ShouldNotContain("admin.token");
    }

    [Fact]
    public async Task Api_NoToken_StaysClosedBesideTheDashboard()
    {
        using var http = fixture.Server.CreateHttp(null);

        using var agents = await http.GetAsync("/api/v1/agents", TestTimeouts.Token());
        using var under = await http.GetAsync("/ui/api/v1/agents", TestTimeouts.Token());

        agents.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        under.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "only the shell and its assets are anonymous, nothing else under /ui");
    }

    [Fact]
    public void Assets_Source_NeverPutATokenInAUrlOrLocalStorage()
    {
        foreach (var name in DashboardAssets.Embedded.Names.Where(n => n.EndsWith(".js", StringComparison.Ordinal)))
        {
            var text = System.Text.Encoding.UTF8.GetString(DashboardAssets.Embedded.Find(name)!.Content);

            text.ShouldNotContain("localStorage", customMessage: $"{name}: the token lives in sessionStorage only");
            text.ShouldNotContain("token=", customMessage: $"{name}: the token never goes in a URL");
            text.ShouldNotContain("new EventSource(", customMessage: $"{name}: EventSource cannot send the Authorization header; streams are read with fetch");
            text.ShouldNotContain("innerHTML", customMessage: $"{name}: text from agents is put in as text, never as markup");
            text.ShouldNotContain("method:", customMessage: $"{name}: the dashboard is read-only: every call is a GET");
        }
    }

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();
}
