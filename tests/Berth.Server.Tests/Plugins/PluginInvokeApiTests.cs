using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Plugins;
using Berth.Core.Serialization;
using Berth.Server.Tests.Security;
using Berth.Testing;

namespace Berth.Server.Tests.Plugins;

/// <summary><c>POST /api/v1/plugins/{reference}/invoke</c> and <c>GET /api/v1/plugins/{id}/invocations</c> on a real server.</summary>
public sealed class PluginInvokeApiTests(PluginServerFixture fixture) : IClassFixture<PluginServerFixture>
{
    private HttpClient Http => fixture.Server.Http;

    [Fact]
    public async Task Invoke_ValidInputsByRange_200WithOutputsAndTheCallListedForViewers()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);

        using var response = await InvokeAsync(Http, $"{plugin.Id}@^1", """{"inputs": {"text": "three small words"}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var answer = await PluginServerFixture.ReadAsync<PluginInvokeResponse>(response);
        (answer.Plugin, answer.Version, answer.Attempts).ShouldBe((plugin.Id, "1.0.0", 1));
        answer.Outputs["wordCount"]!.GetValue<int>().ShouldBe(3);
        answer.DurationMs.ShouldBeGreaterThan(0);
        var viewer = await TokenRequests.CreateAsync(fixture.Server, "viewer");
        using var asViewer = fixture.Server.CreateHttp(viewer.Token);
        var listed = (await asViewer.GetFromJsonAsync<List<PluginInvocationView>>($"/api/v1/plugins/{plugin.Id}/invocations", BerthJson.Options, TestTimeouts.Token()))!;
        var call = listed.ShouldHaveSingleItem();
        (call.Id, call.Outcome, call.Version).ShouldBe((answer.InvocationId, PluginOutcome.Succeeded, "1.0.0"));
        call.Caller.ShouldStartWith("token:");
    }

    [Fact]
    public async Task Invoke_InputsMissingAField_422NamingTheField()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);

        using var response = await InvokeAsync(Http, plugin.Id, """{"inputs": {"words": 3}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var problem = await ProblemAsync(response);
        problem["detail"]!.GetValue<string>().ShouldContain("inputs.text: required");
        problem["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldContain("inputs.text: required");
        problem["errorClass"]!.GetValue<string>().ShouldBe("user");
    }

    [Fact]
    public async Task Invoke_PluginFails_502WithItsClassAndMessage()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);

        using var response = await InvokeAsync(Http, plugin.Id, """{"inputs": {"text": "x", "test": {"fail": "quota"}}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        var problem = await ProblemAsync(response);
        problem["pluginErrorClass"]!.GetValue<string>().ShouldBe("quota");
        problem["detail"]!.GetValue<string>().ShouldContain("failed on purpose");
        problem["invocationId"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Invoke_NotInstalled_404NamingThePlugin()
    {
        var id = TestPlugins.NewId();

        using var response = await InvokeAsync(Http, id, """{"inputs": {"text": "x"}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ProblemAsync(response))["detail"]!.GetValue<string>().ShouldContain(id);
    }

    [Fact]
    public async Task Invoke_MalformedReferenceOrBody_400()
    {
        using var reference = await InvokeAsync(Http, "Not_An_Id", """{"inputs": {}}""");
        using var body = await InvokeAsync(Http, TestPlugins.NewId(), """{"inputs": [1, 2]}""");

        reference.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        body.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Invoke_BodyLargerThanMaxPayloadBytes_413NamingTheSetting()
    {
        var text = new string('a', (4 << 20) + 1);

        using var response = await InvokeAsync(Http, TestPlugins.NewId(), Body(text));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await ProblemAsync(response))["detail"]!.GetValue<string>().ShouldContain("Berth:Plugins:MaxPayloadBytes");
    }

    [Fact]
    public async Task Invoke_AsViewer_403()
    {
        var viewer = await TokenRequests.CreateAsync(fixture.Server, "viewer");
        using var http = fixture.Server.CreateHttp(viewer.Token);

        using var response = await InvokeAsync(http, TestPlugins.NewId(), """{"inputs": {"text": "x"}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("ten")]
    public async Task Invocations_LimitOutOfRange_400NamingTheParameter(string limit)
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);

        using var response = await Http.GetAsync($"/api/v1/plugins/{plugin.Id}/invocations?limit={limit}", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ProblemAsync(response))["detail"]!.GetValue<string>().ShouldStartWith("limit must be a whole number from 1 to 1000");
    }

    [Fact]
    public async Task Invocations_LimitGiven_NewestFirstAtMostThatMany()
    {
        await using var plugin = await InvokedPlugin.InstallAsync(fixture);
        var ids = new List<string>();
        foreach (var text in new[] { "a", "b c", "d e f" })
        {
            using var response = await InvokeAsync(Http, plugin.Id, Body(text));
            ids.Add((await PluginServerFixture.ReadAsync<PluginInvokeResponse>(response)).InvocationId);
        }

        var listed = (await Http.GetFromJsonAsync<List<PluginInvocationView>>($"/api/v1/plugins/{plugin.Id}/invocations?limit=2", BerthJson.Options, TestTimeouts.Token()))!;

        listed.Select(i => i.Id).ShouldBe([ids[2], ids[1]]);
    }

    [Fact]
    public async Task Invocations_UnknownPlugin_404()
    {
        using var response = await Http.GetAsync($"/api/v1/plugins/{TestPlugins.NewId()}/invocations", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static async Task<HttpResponseMessage> InvokeAsync(HttpClient http, string reference, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await http.PostAsync($"/api/v1/plugins/{Uri.EscapeDataString(reference)}/invoke", content, TestTimeouts.Token());
    }

    private static string Body(string text) => new JsonObject { ["inputs"] = new JsonObject { ["text"] = text } }.ToJsonString();

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()))!.AsObject();
}
