using System.Net;
using System.Net.Http.Json;
using System.Text;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Specs;
using Microsoft.Data.Sqlite;

namespace Berth.Server.Tests.Audit;

public sealed class AuditLogTests : IAsyncLifetime
{
    private readonly string _name = $"a{Guid.NewGuid():N}"[..12];
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpClient Http, string TokenId)> ClientAsync(string role)
    {
        var created = await TokenRequests.CreateAsync(_server, role);
        return (_server.CreateHttp(created.Token), created.Record.Id);
    }

    [Fact]
    public async Task ApplyAgent_Operator_RecordsAllowedWithPrincipalActionAndTarget()
    {
        var (http, tokenId) = await ClientAsync("operator");
        using var _ = http;
        var spec = new AgentSpec { Name = _name, Process = new ProcessSpec { Command = "/bin/sleep", Args = ["60"] } };

        using var response = await http.PutAsJsonAsync($"/api/v1/agents/{_name}", Berth.Core.Specs.SpecDocuments.ToDocument(spec), BerthJson.Options, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var record = await AuditRequests.SingleAsync(_server, "PUT /api/v1/agents/{name}", $"name={_name}");
        record.Principal.ShouldBe($"token:{tokenId}");
        record.TokenId.ShouldBe(tokenId);
        record.Role.ShouldBe("operator");
        record.Verb.ShouldBe("agents.apply");
        record.Status.ShouldBe(201);
        record.Outcome.ShouldBe("allowed");
        record.Source.ShouldBe("127.0.0.1");
        record.Time.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task CreateToken_Admin_RecordsTheNewTokensIdAsTarget()
    {
        var created = await TokenRequests.CreateAsync(_server, "viewer", description: "for the audit test");

        var record = await AuditRequests.SingleAsync(_server, "POST /api/v1/tokens", $"id={created.Record.Id}");

        record.Verb.ShouldBe("tokens.create");
        record.Role.ShouldBe("admin");
        record.Status.ShouldBe(201);
        record.Outcome.ShouldBe("allowed");
    }

    [Fact]
    public async Task Mutations_PathInAnotherCase_AreRecordedUnderTheRoutesPattern()
    {
        var secret = $"s{Guid.NewGuid():N}"[..12];
        var spec = new AgentSpec { Name = _name, Process = new ProcessSpec { Command = "/bin/sleep", Args = ["60"] } };
        (await _server.ApplyAsync(spec)).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var token = await _server.Http.PostAsJsonAsync(
            "/Api/v1/tokens", new CreateTokenRequest { Role = "viewer", Description = "case" }, BerthJson.Options, TestTimeouts.Token());
        using var set = await _server.Http.PutAsync($"/API/V1/secrets/{secret}", new StringContent("value", Encoding.UTF8, "text/plain"), TestTimeouts.Token());
        using var removed = await _server.Http.DeleteAsync($"/Api/v1/agents/{_name}", TestTimeouts.Token());

        token.StatusCode.ShouldBe(HttpStatusCode.Created, "routing ignores the path's case");
        set.StatusCode.ShouldBe(HttpStatusCode.Created);
        removed.IsSuccessStatusCode.ShouldBeTrue();
        var created = (await token.Content.ReadFromJsonAsync<CreatedToken>(BerthJson.Options, TestTimeouts.Token()))!;
        (await AuditRequests.SingleAsync(_server, "POST /api/v1/tokens", $"id={created.Record.Id}")).Verb.ShouldBe("tokens.create");
        (await AuditRequests.SingleAsync(_server, "PUT /api/v1/secrets/{name}", $"name={secret}")).Outcome.ShouldBe("allowed");
        (await AuditRequests.SingleAsync(_server, "DELETE /api/v1/agents/{name}", $"name={_name}")).Verb.ShouldBe("agents.remove");
    }

    [Fact]
    public async Task Denials_FloodFromOneSource_AFewRowsWithCountsThatAddUp()
    {
        using var anonymous = _server.CreateHttp(null);
        const int Sent = 60;

        for (var i = 0; i < Sent; i++)
        {
            (await anonymous.DeleteAsync($"/api/v1/agents/{_name}-{i}", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var denied = (await AuditRequests.ListAsync(_server, "?principal=anonymous&limit=1000")).Where(r => r.Status == 401).ToList();
        denied.Sum(r => r.Count).ShouldBe(Sent, "every denial is counted");
        denied.Count.ShouldBeLessThanOrEqualTo(2 * (Berth.Server.Audit.DenialAggregator.IndividualPerMinute + 1), "at most a dozen rows per minute (the flood may straddle a minute)");
        denied.Where(r => r.Count > 1).ShouldAllBe(r => r.Action == "*" && r.Source == "127.0.0.1");
        denied.Where(r => r.Count == 1).ShouldContain(r => r.Target == $"name={_name}-0", "the first denials of a minute keep their detail");
    }

    [Fact]
    public async Task Retention_RecordsOlderThanTheSetting_DeletedAtStart_RecentOnesKept()
    {
        var created = await TokenRequests.CreateAsync(_server, "viewer");
        await AuditRequests.SingleAsync(_server, "POST /api/v1/tokens", $"id={created.Record.Id}");
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_server.DataDir, "berth.db")};Pooling=False"))
        {
            await connection.OpenAsync(TestTimeouts.Token());
            await using var insert = connection.CreateCommand();
            insert.CommandText =
                "INSERT INTO audit (time, principal, action, status, outcome) VALUES ('2020-01-01T00:00:00.0000000Z', 'token:old', 'POST /api/v1/tokens', 201, 'allowed')";
            await insert.ExecuteNonQueryAsync(TestTimeouts.Token());
        }

        await _server.RestartAsync();

        await Eventually.MatchAsync(
            _ => AuditRequests.ListAsync(_server, "?principal=token:old"), old => old.Count == 0, "the 2020 record purged", TestTimeouts.Quick);

        (await AuditRequests.SingleAsync(_server, "POST /api/v1/tokens", $"id={created.Record.Id}")).Outcome.ShouldBe("allowed");
    }

    [Fact]
    [SqliteOnly]
    public async Task Retention_RecordYoungerThanADay_CannotBeDeletedEvenByHand()
    {
        await TokenRequests.CreateAsync(_server, "viewer");
        await AuditRequests.ListAsync(_server);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_server.DataDir, "berth.db")};Pooling=False");
        await connection.OpenAsync(TestTimeouts.Token());
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM audit";

        var refused = await Should.ThrowAsync<SqliteException>(() => delete.ExecuteNonQueryAsync(TestTimeouts.Token()));

        refused.Message.ShouldContain("younger than a day");
    }

    [Fact]
    public async Task FailedMutation_InvalidSpec_RecordedAsFailed()
    {
        using var response = await _server.Http.PutAsync(
            $"/api/v1/agents/{_name}", new StringContent(SpecBodies.Document("Agent", "{\"name\":\"" + _name + "\"}"), Encoding.UTF8, "application/json"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var record = await AuditRequests.SingleAsync(_server, "PUT /api/v1/agents/{name}", $"name={_name}");
        record.Status.ShouldBe(400);
        record.Outcome.ShouldBe("failed");
    }

    [Fact]
    public async Task Mutation_NoToken_RecordsDeniedAnonymousWithSourceAddress()
    {
        using var http = _server.CreateHttp(null);

        using var response = await http.DeleteAsync($"/api/v1/agents/{_name}", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var record = await AuditRequests.SingleAsync(_server, "DELETE /api/v1/agents/{name}", $"name={_name}");
        record.Principal.ShouldBe("anonymous");
        record.TokenId.ShouldBeNull();
        record.Role.ShouldBeNull();
        record.Verb.ShouldBe("agents.remove");
        record.Status.ShouldBe(401);
        record.Outcome.ShouldBe("denied");
        record.Source.ShouldBe("127.0.0.1");
    }

    [Fact]
    public async Task Mutation_Viewer_RecordsDenied403WithItsRole()
    {
        var (http, tokenId) = await ClientAsync("viewer");
        using var _ = http;

        using var response = await http.PostAsync($"/api/v1/agents/{_name}/restart", null, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var record = await AuditRequests.SingleAsync(_server, "POST /api/v1/agents/{name}/restart", $"name={_name}");
        record.Principal.ShouldBe($"token:{tokenId}");
        record.Role.ShouldBe("viewer");
        record.Verb.ShouldBe("agents.restart");
        record.Outcome.ShouldBe("denied");
        record.Source.ShouldBe("127.0.0.1");
    }

    [Fact]
    public async Task Proxy_DeniedRecorded_AllowedNotRecorded()
    {
        var (viewer, _) = await ClientAsync("viewer");
        var (operatorHttp, operatorId) = await ClientAsync("operator");
        using var anonymous = _server.CreateHttp(null);

        using (viewer)
        using (operatorHttp)
        {
            (await viewer.PostAsync($"/agents/{_name}/v1/chat", null, TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await operatorHttp.PostAsync($"/agents/{_name}/v1/chat", null, TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await anonymous.GetAsync("/no/such/route", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var records = await AuditRequests.ListAsync(_server);
        var proxy = records.Where(r => r.Action == "POST /agents/{name}/{**path}").ToList().ShouldHaveSingleItem();
        proxy.Target.ShouldBe($"name={_name} path=v1/chat");
        proxy.Role.ShouldBe("viewer");
        proxy.Outcome.ShouldBe("denied");
        records.ShouldNotContain(r => r.TokenId == operatorId, "an allowed proxy call is not a change to Berth");
        records.ShouldContain(r => r.Action == "GET /no/such/route" && r.Status == 401 && r.Principal == "anonymous");
    }

    [Fact]
    public async Task Reads_AnyRoute_NotRecorded()
    {
        var (viewer, viewerId) = await ClientAsync("viewer");
        var before = (await AuditRequests.ListAsync(_server)).Select(r => r.Id).ToList();

        using (viewer)
        {
            (await viewer.GetAsync("/api/v1/agents", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await viewer.GetAsync($"/api/v1/agents/{_name}", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await viewer.GetAsync("/readyz", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await _server.Http.GetAsync("/api/v1/tokens", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await AuditRequests.ListAsync(_server);
        after.Select(r => r.Id).ShouldBe(before);
        after.ShouldNotContain(r => r.TokenId == viewerId);
    }

    [Fact]
    public async Task SecretValue_SetAndTypedIntoRoutesAndBodies_NeverInTheAuditTable()
    {
        var secret = $"s{Guid.NewGuid():N}"[..12];
        var value = $"canary-{Guid.NewGuid():N}";
        using var set = await _server.Http.PutAsync($"/api/v1/secrets/{secret}", new StringContent(value, Encoding.UTF8, "text/plain"), TestTimeouts.Token());
        set.StatusCode.ShouldBe(HttpStatusCode.Created);

        using var removed = await _server.Http.DeleteAsync($"/api/v1/agents/{value}", TestTimeouts.Token());
        await TokenRequests.CreateAsync(_server, "viewer", description: value);
        using var anonymous = _server.CreateHttp(null);
        using var denied = await anonymous.PutAsync($"/api/v1/secrets/{value}", new StringContent(value, Encoding.UTF8, "text/plain"), TestTimeouts.Token());

        removed.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        denied.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var listed = await _server.Http.GetStringAsync("/api/v1/audit?limit=1000", TestTimeouts.Token());
        listed.ShouldContain($"name=[redacted:{secret}]");
        listed.ShouldContain($"name={secret}", customMessage: "setting the secret is audited by name");
        listed.ShouldNotContain(value);
        var table = await ReadAuditTableAsync();
        table.ShouldContain($"[redacted:{secret}]");
        table.ShouldNotContain(value);
    }

    [Theory]
    [InlineData("PUT", "/api/v1/audit")]
    [InlineData("POST", "/api/v1/audit")]
    [InlineData("PATCH", "/api/v1/audit")]
    [InlineData("DELETE", "/api/v1/audit")]
    [InlineData("DELETE", "/api/v1/audit/1")]
    [InlineData("PUT", "/api/v1/audit/1")]
    public async Task AuditRoute_ChangeOrDelete_NotOfferedAndRecordsRemain(string method, string path)
    {
        await TokenRequests.CreateAsync(_server, "viewer");
        var before = await AuditRequests.ListAsync(_server);

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        using var response = await _server.Http.SendAsync(request, TestTimeouts.Token());

        response.IsSuccessStatusCode.ShouldBeFalse();
        ((int)response.StatusCode).ShouldBeOneOf(404, 405);
        var after = await AuditRequests.ListAsync(_server);
        after.ShouldContain(r => r.Id == before[0].Id && r.Outcome == before[0].Outcome);
        after.Count.ShouldBeGreaterThanOrEqualTo(before.Count);
    }

    [Fact]
    public async Task List_SincePrincipalAndLimit_FilterNewestFirst()
    {
        using var anonymous = _server.CreateHttp(null);
        (await anonymous.DeleteAsync($"/api/v1/agents/{_name}-1", TestTimeouts.Token())).Dispose();
        (await anonymous.DeleteAsync($"/api/v1/agents/{_name}-2", TestTimeouts.Token())).Dispose();
        await TokenRequests.CreateAsync(_server, "viewer");

        var anonymousOnly = await AuditRequests.ListAsync(_server, "?principal=anonymous");
        var newest = await AuditRequests.ListAsync(_server, "?limit=1");
        var lastHour = await AuditRequests.ListAsync(_server, "?since=1h");
        var future = await AuditRequests.ListAsync(_server, $"?since={DateTimeOffset.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}");

        anonymousOnly.Select(r => r.Target).ShouldBe([$"name={_name}-2", $"name={_name}-1"]);
        newest.ShouldHaveSingleItem().Verb.ShouldBe("tokens.create");
        lastHour.Count.ShouldBe(3);
        future.ShouldBeEmpty();
        (await AuditRequests.ListAsync(_server, $"?before={lastHour[0].Id}")).Select(r => r.Id).ShouldBe(lastHour.Skip(1).Select(r => r.Id));
    }

    [Theory]
    [InlineData("?since=yesterday", "since must be")]
    [InlineData("?limit=0", "limit must be")]
    [InlineData("?limit=5000", "limit must be")]
    [InlineData("?before=x", "before must be")]
    public async Task List_InvalidQuery_400SaysWhich(string query, string expected)
    {
        using var response = await _server.Http.GetAsync($"/api/v1/audit{query}", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(TestTimeouts.Token())).ShouldContain(expected);
    }

    [Fact]
    public async Task Restart_RecordsWrittenBefore_StillListed()
    {
        var created = await TokenRequests.CreateAsync(_server, "viewer");

        await _server.RestartAsync();

        (await AuditRequests.SingleAsync(_server, "POST /api/v1/tokens", $"id={created.Record.Id}")).Outcome.ShouldBe("allowed");
    }

    private async Task<string> ReadAuditTableAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_server.DataDir, "berth.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestTimeouts.Token());
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM audit";
        await using var reader = await command.ExecuteReaderAsync(TestTimeouts.Token());
        var text = new StringBuilder();
        while (await reader.ReadAsync(TestTimeouts.Token()))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(reader.IsDBNull(i) ? "" : reader.GetValue(i)).Append('|');
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
