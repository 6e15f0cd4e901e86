using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Server.Secrets;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Problems;

public sealed class PayloadTooLargeTests : IAsyncLifetime
{
    private const long Limit = 128 * 1024;

    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(extraArgs: [$"--Berth:Limits:MaxRequestBodyBytes={Limit}"]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Put_SecretOverItsLimit_IsThePayloadTooLargeProblemNamingTheLimit()
    {
        var name = $"big-{Guid.NewGuid():N}"[..20];
        using var content = new StringContent(new string('x', SecretVault.MaxValueBytes + 1), Encoding.UTF8, "text/plain");

        using var response = await _server.Http.PutAsync($"/api/v1/secrets/{name}", content, TestTimeouts.Token());

        var problem = await ProblemAsync(response);
        problem.GetProperty("type").GetString().ShouldBe("urn:berth:problem:payload-too-large");
        problem.GetProperty("detail").GetString()!.ShouldContain($"at most 64 KiB ({SecretVault.MaxValueBytes} bytes)");
    }

    [Fact]
    public async Task Put_AgentBodyOverTheServerLimit_IsTheSameProblemNamingTheSetting()
    {
        var name = $"big-{Guid.NewGuid():N}"[..20];
        using var content = new StringContent($"{{\"name\":\"{name}\",\"description\":\"{new string('x', (int)Limit)}\"}}", Encoding.UTF8, "application/json");

        using var response = await _server.Http.PutAsync($"/api/v1/agents/{name}", content, TestTimeouts.Token());

        var problem = await ProblemAsync(response);
        problem.GetProperty("type").GetString().ShouldBe("urn:berth:problem:payload-too-large");
        problem.GetProperty("detail").GetString()!.ShouldContain($"at most 128 KiB ({Limit} bytes)");
        problem.GetProperty("detail").GetString()!.ShouldContain("Berth:Limits:MaxRequestBodyBytes");
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
