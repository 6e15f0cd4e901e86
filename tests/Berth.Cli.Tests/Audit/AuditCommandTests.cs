using System.Net;
using System.Text.Json;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client.Contracts;
using Berth.Core.Security;
using Berth.Core.Serialization;
using Berth.Testing;

namespace Berth.Cli.Tests.Audit;

public sealed class AuditCommandTests(AuditServerFixture server) : IClassFixture<AuditServerFixture>
{
    private readonly string _name = $"a{Guid.NewGuid():N}"[..12];

    private CliHarness Harness(string? token = null)
    {
        var harness = new CliHarness();
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = token ?? server.Token;
        return harness;
    }

    private async Task<HttpStatusCode> DeleteAnonymouslyAsync(string name)
    {
        using var http = new HttpClient { BaseAddress = server.Address };
        using var response = await http.DeleteAsync($"/api/v1/agents/{name}", TestTimeouts.Token());
        return response.StatusCode;
    }

    [Fact]
    public async Task Audit_AfterAChangeAndADenial_TablePrintsBoth()
    {
        var created = await Harness().RunAsync("tokens", "create", "--role", "viewer", "--description", _name, "-o", "json");
        created.ExitCode.ShouldBe(0, created.ToString());
        var tokenId = JsonSerializer.Deserialize<CreatedToken>(created.Out, BerthJson.Options)!.Record.Id;
        (await DeleteAnonymouslyAsync(_name)).ShouldBe(HttpStatusCode.Unauthorized);

        var result = await Harness().RunAsync("audit");

        result.ExitCode.ShouldBe(0, result.ToString());
        var lines = result.Out.Split('\n');
        lines[0].ShouldContain("PRINCIPAL");
        lines[0].ShouldContain("OUTCOME");
        var denial = lines.Where(l => l.Contains($"name={_name}", StringComparison.Ordinal)).ShouldHaveSingleItem();
        denial.ShouldContain("anonymous");
        denial.ShouldContain("agents.remove (DELETE /api/v1/agents/{name})");
        denial.ShouldContain("401");
        denial.ShouldContain("denied");
        denial.ShouldContain("127.0.0.1");
        var creation = lines.Where(l => l.Contains($"id={tokenId}", StringComparison.Ordinal)).ShouldHaveSingleItem();
        creation.ShouldContain("tokens.create");
        creation.ShouldContain("admin");
        creation.ShouldContain("allowed");
        Array.IndexOf(lines, denial).ShouldBeLessThan(Array.IndexOf(lines, creation), "newest first");
    }

    [Fact]
    public async Task Audit_JsonForOnePrincipalSince_OnlyTheirRecords()
    {
        (await DeleteAnonymouslyAsync(_name)).ShouldBe(HttpStatusCode.Unauthorized);

        var result = await Harness().RunAsync("audit", "--principal", "anonymous", "--since", "1h", "-o", "json");

        result.ExitCode.ShouldBe(0, result.ToString());
        var records = JsonSerializer.Deserialize<List<AuditRecord>>(result.Out, BerthJson.Options)!;
        records.ShouldNotBeEmpty();
        records.ShouldAllBe(r => r.Principal == "anonymous" && r.Outcome == "denied");
        records.ShouldContain(r => r.Target == $"name={_name}" && r.Status == 401 && r.Source == "127.0.0.1");
    }

    [Fact]
    public async Task Audit_ViewerToken_ExitsForbidden()
    {
        var created = await Harness().RunAsync("tokens", "create", "--role", "viewer", "-o", "json");
        var viewer = JsonSerializer.Deserialize<CreatedToken>(created.Out, BerthJson.Options)!.Token;

        var result = await Harness(viewer).RunAsync("audit");

        result.ExitCode.ShouldBe(8, result.ToString());
        result.Err.ShouldContain("role viewer");
    }

    [Theory]
    [InlineData("--since", "yesterday", "--since must be")]
    [InlineData("--limit", "0", "--limit must be")]
    public async Task Audit_InvalidOption_UsageErrorSaysWhich(string option, string value, string expected)
    {
        var result = await Harness().RunAsync("audit", option, value);

        result.ExitCode.ShouldBe(2);
        result.Err.ShouldContain(expected);
    }
}
