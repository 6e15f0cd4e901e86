using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Berth.Client.Contracts;
using Berth.Core.Security;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Server.Secrets;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Secrets;

public sealed class SecretsApiTests : IAsyncLifetime
{
    private readonly string _name = $"s{Guid.NewGuid():N}"[..12];
    private readonly string _value = $"value-{Guid.NewGuid():N}";
    private TestServer _server = null!;

    public async Task InitializeAsync() => (_server, _) = await SecretsTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Put_NewThenReplaced_CreatedThen200_AndNeverEchoesTheValue()
    {
        using var created = await PutAsync(_name, _value);
        using var replaced = await PutAsync(_name, _value + "-2", "application/octet-stream");

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        replaced.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await replaced.Content.ReadAsStringAsync(TestTimeouts.Token());
        body.ShouldNotContain("value-");
        var view = (await created.Content.ReadFromJsonAsync<SecretView>(BerthJson.Options, TestTimeouts.Token()))!;
        view.Name.ShouldBe(_name);
        created.Headers.Location!.OriginalString.ShouldBe($"/api/v1/secrets/{_name}");
    }

    [Fact]
    public async Task List_ShowsNamesAndDatesOnly()
    {
        (await PutAsync(_name, _value)).Dispose();

        var text = await _server.Http.GetStringAsync("/api/v1/secrets", TestTimeouts.Token());

        text.ShouldNotContain(_value);
        var secrets = System.Text.Json.JsonSerializer.Deserialize<List<SecretView>>(text, BerthJson.Options)!;
        secrets.ShouldContain(s => s.Name == _name);
    }

    [Fact]
    public async Task Delete_ExistingThenAgain_200Then404()
    {
        (await PutAsync(_name, _value)).Dispose();

        using var first = await _server.Http.DeleteAsync($"/api/v1/secrets/{_name}", TestTimeouts.Token());
        using var second = await _server.Http.DeleteAsync($"/api/v1/secrets/{_name}", TestTimeouts.Token());

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await first.Content.ReadFromJsonAsync<SecretRemoveResponse>(BerthJson.Options, TestTimeouts.Token()))!.UsedBy.ShouldBeEmpty();
        second.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await second.Content.ReadAsStringAsync(TestTimeouts.Token())).ShouldContain("berth secrets ls");
        (await _server.Http.GetStringAsync("/api/v1/secrets", TestTimeouts.Token())).ShouldNotContain(_name);
    }

    [Fact]
    public async Task Put_OverSixtyFourKiB_413NamingTheLimit_AndNothingStored()
    {
        using var response = await PutAsync(_name, new string('x', SecretVault.MaxValueBytes + 1));
        using var exactly = await PutAsync(_name + "b", new string('x', SecretVault.MaxValueBytes));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync(TestTimeouts.Token())).ShouldContain("64 KiB");
        exactly.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _server.Http.GetStringAsync("/api/v1/secrets", TestTimeouts.Token())).ShouldNotContain($"\"{_name}\"");
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("slash%2Fname")]
    public async Task Put_InvalidName_400WithTheRule(string name)
    {
        using var response = await PutAsync(name, _value);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(TestTimeouts.Token())).ShouldContain(SecretNames.Rule);
    }

    [Fact]
    public async Task Put_JsonBodyOrEmptyBody_Refused()
    {
        using var json = await PutAsync(_name, $"{{\"value\":\"{_value}\"}}", "application/json");
        using var empty = await PutAsync(_name, "");

        json.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await json.Content.ReadAsStringAsync(TestTimeouts.Token())).ShouldNotContain(_value);
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ApplyAgent_ReferencingAMissingSecret_400NamingItAndTheCommand()
    {
        var spec = new AgentSpec
        {
            Name = $"a{Guid.NewGuid():N}"[..12],
            Process = new ProcessSpec { Command = "/bin/true" },
            Env = new Dictionary<string, string> { ["API_KEY"] = $"Bearer ${{secret:{_name}}}" },
        };

        using var response = await _server.ApplyAsync(spec);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        body.ShouldContain("spec.env.API_KEY");
        body.ShouldContain($"berth secrets set {_name}");
    }

    [Fact]
    public async Task ApplyAgent_FileReferencingAMissingSecret_400NamingTheFile()
    {
        var spec = new AgentSpec
        {
            Name = $"a{Guid.NewGuid():N}"[..12],
            Process = new ProcessSpec { Command = "/bin/true" },
            Files = new Dictionary<string, string> { ["keys/api"] = $"${{secret:{_name}}}" },
        };

        using var response = await _server.ApplyAsync(spec);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        body.ShouldContain("spec.files['keys/api']");
        body.ShouldContain($"secret '{_name}' does not exist; create it with 'berth secrets set {_name}'");
    }

    [Fact]
    public async Task Delete_SecretAnAgentUsesInAFile_NamesTheAgent()
    {
        (await PutAsync(_name, _value)).Dispose();
        var agent = $"a{Guid.NewGuid():N}"[..12];
        var spec = new AgentSpec
        {
            Name = agent,
            Process = new ProcessSpec { Command = "/bin/true" },
            Files = new Dictionary<string, string> { ["api"] = $"${{secret:{_name}}}" },
        };
        (await _server.ApplyAsync(spec)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await _server.Http.PostAsync($"/api/v1/agents/{agent}/stop", null, TestTimeouts.Token());

        using var response = await _server.Http.DeleteAsync($"/api/v1/secrets/{_name}", TestTimeouts.Token());

        (await response.Content.ReadFromJsonAsync<SecretRemoveResponse>(BerthJson.Options, TestTimeouts.Token()))!.UsedBy.ShouldBe([agent]);
    }

    [Fact]
    public async Task Problem_WhoseDetailWouldQuoteAValue_IsRedacted()
    {
        (await PutAsync(_name, _value)).Dispose();

        using var response = await _server.Http.DeleteAsync($"/api/v1/secrets/{_value}.old", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        body.ShouldContain($"No secret named '[redacted:{_name}].old'");
        body.ShouldNotContain(_value);
    }

    private async Task<HttpResponseMessage> PutAsync(string name, string value, string mediaType = "text/plain")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await _server.Http.PutAsync($"/api/v1/secrets/{name}", content, TestTimeouts.Token());
    }
}
