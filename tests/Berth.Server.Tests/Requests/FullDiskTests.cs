using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Requests;
using Berth.Core.Serialization;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Agents;
using Berth.Server.Tests.Secrets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Tests.Requests;

/// <summary>
/// The data directory on a small filesystem of its own (a 40 MB tmpfs; the tests run as root) that durable requests fill.
/// </summary>
[SqliteOnly]
public sealed class FullDiskTests : IAsyncLifetime
{
    private const int BodyBytes = 600 * 1024;

    private readonly string _mount = Path.Combine(Path.GetTempPath(), $"berth-disk-{Guid.NewGuid():N}");
    private readonly BusyboxHttpAgent _agent = new();
    private readonly string _name = $"d{Guid.NewGuid():N}"[..12];
    private readonly LogCapture _logs = new();
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_mount);
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", _mount);
        _server = await TestServer.StartAsync(dataDir: Path.Combine(_mount, "data"));
        _server.Server.Services.GetRequiredService<ILoggerFactory>().AddProvider(_logs);
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _server.DisposeAsync();
        }
        finally
        {
            _agent.Dispose();
            await RunAsync("umount", "-l", _mount);
            Directory.Delete(_mount, recursive: true);
        }
    }

    [Fact]
    public async Task DurablePosts_FillTheDisk_507NamingTheDataDirectory_ReadyzSaysSo_AcceptedRequestsAllRunOnceSpaceIsFreed()
    {
        (await _server.ApplyAsync(_agent.Spec(_name))).EnsureSuccessStatusCode();
        await _server.WaitRunningAsync(_name);
        (await _server.Http.PostAsync($"/api/v1/agents/{_name}/stop", null, TestTimeouts.Token())).EnsureSuccessStatusCode();
        await _server.WaitForAsync(_name, v => v.Instances.All(i => i.State != Core.Agents.InstanceState.Running));

        var accepted = new List<string>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 200 && refused is null; i++)
        {
            var response = await PostAsync(i);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                accepted.Add(response.Headers.GetValues("Berth-Request-Id").Single());
                response.Dispose();
            }
            else
            {
                refused = response;
            }
        }

        refused.ShouldNotBeNull("200 requests of 600 KB cannot fit on a 40 MB disk");
        using (refused)
        {
            var body = await refused.Content.ReadAsStringAsync(TestTimeouts.Token());
            refused.StatusCode.ShouldBe(HttpStatusCode.InsufficientStorage, body + "\n" + string.Join("\n", _logs.Entries.TakeLast(5)));
            using var problem = JsonDocument.Parse(body);
            problem.RootElement.GetProperty("type").GetString().ShouldBe("urn:berth:problem:storage-full");
            problem.RootElement.GetProperty("detail").GetString()!.ShouldContain(_server.DataDir);
        }

        accepted.Count.ShouldBeGreaterThan(10);
        using (var ready = await _server.Http.GetAsync("/readyz", TestTimeouts.Token()))
        {
            var text = await ready.Content.ReadAsStringAsync(TestTimeouts.Token());
            ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, text);
            text.ShouldContain("full");
            text.ShouldContain(_server.DataDir);
        }

        await RunAsync("mount", "-o", "remount,size=400m", _mount);
        (await _server.Http.PostAsync($"/api/v1/agents/{_name}/start", null, TestTimeouts.Token())).EnsureSuccessStatusCode();

        foreach (var id in accepted)
        {
            (await WaitForStateAsync(id, RequestState.Completed))!.Response!.Status.ShouldBe(200);
        }

        _agent.Executions.ShouldBe(accepted.Count, "every request accepted before the disk filled ran, once");
        await WaitReadyAsync();
        (await IntegrityAsync()).ShouldBe("ok");
    }

    private async Task<HttpResponseMessage> PostAsync(int i)
    {
        var body = $"{i:D5}" + new string('x', BodyBytes);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/agents/{_name}/cgi-bin/count") { Content = new StringContent(body) };
        request.Headers.Add("Berth-Wait", "0s");
        return await _server.Http.SendAsync(request, TestTimeouts.Token());
    }

    private Task<RequestDetail?> WaitForStateAsync(string id, RequestState state) =>
        Eventually.MatchAsync(
            token => _server.Http.GetFromJsonAsync<RequestDetail>($"/api/v1/requests/{id}", BerthJson.Options, token),
            detail => detail?.Request.State == state,
            $"request {id} {state}");

    private Task WaitReadyAsync() =>
        Eventually.TrueAsync(
            async token =>
            {
                using var ready = await _server.Http.GetAsync("/readyz", token);
                return ready.StatusCode == HttpStatusCode.OK;
            },
            "/readyz answering 200");

    private async Task<string> IntegrityAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_server.DataDir, "berth.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestTimeouts.Token());
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)(await command.ExecuteScalarAsync(TestTimeouts.Token()))!;
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync(TestTimeouts.Token());
        await process.WaitForExitAsync(TestTimeouts.Token());
        process.ExitCode.ShouldBe(0, $"{file} {string.Join(' ', args)}: {error}");
    }
}
