using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Berth.Core.Security;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Agents;

namespace Berth.Server.Tests.Observability;

/// <summary>
/// <c>/metrics</c> on a real server with a real process agent: who may scrape it, what a scrape shows after real traffic, and
/// that Prometheus's own linter (<c>promtool check metrics</c>) accepts it.
/// </summary>
public sealed partial class MetricsEndpointTests : IAsyncLifetime
{
    private readonly BusyboxHttpAgent _agent = new();
    private readonly string _name = $"m{Guid.NewGuid():N}"[..12];
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        (await _server.ApplyAsync(_agent.Spec(_name))).EnsureSuccessStatusCode();
        await _server.WaitForAsync(_name, a => a.ReadyReplicas == 1);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _agent.Dispose();
    }

    [Fact]
    public async Task Scrape_WithoutAToken_IsRefused()
    {
        using var anonymous = _server.CreateHttp(null);

        using var response = await anonymous.GetAsync("/metrics", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Scrape_WithAMetricsToken_Succeeds_WhileTheSameTokenReadsNothingElse()
    {
        var created = await TokenRequests.CreateAsync(_server, BerthRoles.Metrics, description: "prometheus");
        using var scraper = _server.CreateHttp(created.Token);

        using var metrics = await scraper.GetAsync("/metrics", TestTimeouts.Token());
        using var agents = await scraper.GetAsync("/api/v1/agents", TestTimeouts.Token());
        using var proxy = await scraper.GetAsync($"/agents/{_name}/", TestTimeouts.Token());
        using var mcp = await scraper.PostAsync("/mcp/", new StringContent("{}"), TestTimeouts.Token());
        using var post = await scraper.PostAsync("/metrics", new StringContent(""), TestTimeouts.Token());
        using var adminPost = await _server.Http.PostAsync("/metrics", new StringContent(""), TestTimeouts.Token());

        metrics.StatusCode.ShouldBe(HttpStatusCode.OK);
        metrics.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        agents.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        proxy.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        mcp.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        post.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "a scrape is a GET; any other method is not the metrics route");
        adminPost.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed, "a scrape is a GET");
    }

    [Fact]
    public async Task Scrape_AfterCallsThroughTheProxy_ShowsThemByAgentMethodAndStatus()
    {
        for (var i = 0; i < 3; i++)
        {
            using var call = await _server.Http.PostAsync($"/agents/{_name}/cgi-bin/echo", new StringContent($"call {i}"), TestTimeouts.Token());
            call.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var missing = await _server.Http.GetAsync($"/agents/{_name}/no-such-page", TestTimeouts.Token());
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var agent = $"berth_agent=\"{_name}\"";
        var text = await ScrapeUntilAsync(t =>
            Value(t, "berth_proxy_request_duration_seconds_count", agent, "http_request_method=\"POST\"", "http_response_status_code=\"200\"") == 3 &&
            Value(t, "berth_proxy_request_duration_seconds_count", agent, "http_request_method=\"GET\"", "http_response_status_code=\"404\"") == 1 &&
            Value(t, "berth_requests_completed_total", agent) == 4 &&
            Value(t, "berth_instances", agent, "berth_instance_state=\"running\"") == 1);

        Value(text, "berth_requests_accepted_total", agent).ShouldBe(4);
        Value(text, "berth_instance_probes_total", agent, "berth_outcome=\"healthy\"").ShouldNotBeNull().ShouldBeGreaterThan(0);
        text.ShouldContain("# TYPE berth_proxy_request_duration_seconds histogram");
        text.ShouldContain("# TYPE http_server_request_duration_seconds histogram");
        text.ShouldContain("dotnet_gc_collections_total");
    }

    [Fact]
    public async Task Scrape_Denials_AreCountedWithoutNamingTheCaller()
    {
        using var anonymous = _server.CreateHttp("not-a-token");
        using var refused = await anonymous.GetAsync("/api/v1/agents", TestTimeouts.Token());
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var text = await ScrapeUntilAsync(t => Value(t, "berth_auth_denials_total", "berth_reason=\"unauthenticated\"") >= 1);

        text.ShouldNotContain("not-a-token");
    }

    [Fact]
    public async Task Scrape_PassesPromtool()
    {
        using var call = await _server.Http.GetAsync($"/agents/{_name}/", TestTimeouts.Token());
        var text = await ScrapeUntilAsync(t => Value(t, "berth_instances", $"berth_agent=\"{_name}\"", "berth_instance_state=\"running\"") == 1);

        var (exitCode, output) = await PromtoolAsync(text);

        exitCode.ShouldBe(0, $"promtool check metrics found problems:\n{output}");
    }

    private async Task<string> ScrapeUntilAsync(Func<string, bool> done) =>
        await Eventually.MatchAsync(
            async token => await _server.Http.GetStringAsync("/metrics", token),
            done,
            text => $"the scrape to show the expected series; last scrape:\n{text}");

    /// <summary>The value of the one series of <paramref name="family"/> whose labels include all of <paramref name="labels"/>; null when there is none.</summary>
    private static double? Value(string text, string family, params string[] labels)
    {
        foreach (var line in text.Split('\n'))
        {
            var match = SeriesLine().Match(line);
            if (match.Success && match.Groups["name"].Value == family && labels.All(l => match.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            {
                return double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(string exposition)
    {
        const string Promtool = "/usr/bin/promtool";
        File.Exists(Promtool).ShouldBeTrue("promtool is missing: apt-get install -y prometheus (scripts/test.sh installs it)");
        using var process = Process.Start(new ProcessStartInfo(Promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestTimeouts.Token());
        var stderr = process.StandardError.ReadToEndAsync(TestTimeouts.Token());
        await process.WaitForExitAsync(TestTimeouts.Token());
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)")]
    private static partial Regex SeriesLine();
}
