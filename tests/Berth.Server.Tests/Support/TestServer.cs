using System.Net.Http.Headers;
using System.Net.Http.Json;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Testing;
using Berth.Testing.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Support;

/// <summary>A real Berth server on 127.0.0.1 with its own data directory, and an HTTP client pointed at it.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly IReadOnlyList<string> _extraArgs;
    private readonly Action<IServiceCollection>? _services;
    private readonly string? _store;

    private TestServer(BerthServer server, string dataDir, string? store, IReadOnlyList<string> extraArgs, Action<IServiceCollection>? services)
    {
        Server = server;
        DataDir = dataDir;
        _store = store;
        _extraArgs = extraArgs;
        _services = services;
        Http = CreateHttp(AdminToken);
    }

    public BerthServer Server { get; private set; }

    public string DataDir { get; }

    /// <summary>An HTTP client that sends the admin token the server wrote to <c>admin.token</c> at its first start.</summary>
    public HttpClient Http { get; private set; }

    /// <summary>The admin token from <c>{DataDir}/admin.token</c>.</summary>
    public string AdminToken => File.ReadAllText(Path.Combine(DataDir, "admin.token")).Trim();

    /// <summary>A new HTTP client for this server that sends <paramref name="token"/> (none when null); the caller disposes it.</summary>
    public HttpClient CreateHttp(string? token)
    {
        var http = new HttpClient { BaseAddress = Server.Address, Timeout = TestTimeouts.Slow };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    /// <summary>
    /// Starts a server; <paramref name="extraArgs"/> are further configuration arguments (<c>--Berth:Key=value</c>) and
    /// <paramref name="services"/> replaces some of the server's services (a fake clock), both also used by <see cref="RestartAsync"/>.
    /// </summary>
    public static async Task<TestServer> StartAsync(
        string runtime = "process", string? dataDir = null, IReadOnlyList<string>? extraArgs = null, Action<IServiceCollection>? services = null)
    {
        dataDir ??= Path.Combine(Path.GetTempPath(), $"berth-srv-{Guid.NewGuid():N}");
        var extra = extraArgs ?? [];
        var store = await TestStore.CreateAsync(TestTimeouts.Token());
        var server = await BerthServer.StartAsync(Args(dataDir, runtime, store, extra), services, TestTimeouts.Token());
        return new TestServer(server, dataDir, store, extra, services);
    }

    /// <summary>Stops the server (agents keep running) and starts a new one on the same data directory.</summary>
    public async Task RestartAsync(string runtime = "process")
    {
        await Server.DisposeAsync();
        Http.Dispose();
        Server = await BerthServer.StartAsync(Args(DataDir, runtime, _store, _extraArgs), _services, TestTimeouts.Token());
        Http = CreateHttp(AdminToken);
    }

    public async Task<HttpResponseMessage> ApplyAsync(AgentSpec spec) =>
        await Http.PutAsJsonAsync($"/api/v1/agents/{spec.Name}", Berth.Core.Specs.SpecDocuments.ToDocument(spec), BerthJson.Options, TestTimeouts.Token());

    public async Task<AgentView> GetAsync(string name) =>
        (await Http.GetFromJsonAsync<AgentView>($"/api/v1/agents/{name}", BerthJson.Options, TestTimeouts.Token()))!;

    /// <summary>Polls until the agent satisfies <paramref name="condition"/>; fails with the last view when it does not in time.</summary>
    public Task<AgentView> WaitForAsync(string name, Func<AgentView, bool> condition, TimeSpan? timeout = null) =>
        Eventually.MatchAsync(
            async token => (await Http.GetFromJsonAsync<AgentView>($"/api/v1/agents/{name}", BerthJson.Options, token))!,
            condition,
            last => $"agent {name} did not reach the expected state; last seen {last?.State} with instances {string.Join(", ", last?.Instances.Select(i => $"{i.Id}:{i.State}:{i.Message}") ?? [])}",
            timeout);

    public Task<AgentView> WaitRunningAsync(string name) =>
        WaitForAsync(name, v => v.State == AgentState.Running);

    public async ValueTask DisposeAsync()
    {
        try
        {
            var agents = await Http.GetFromJsonAsync<List<AgentView>>("/api/v1/agents", BerthJson.Options, TestTimeouts.Token(TestTimeouts.Quick));
            foreach (var agent in agents ?? [])
            {
                await Http.DeleteAsync($"/api/v1/agents/{agent.Name}?wait=60s", TestTimeouts.Token());
            }

            await RemovePluginsAsync();
        }
        finally
        {
            await Server.DisposeAsync();
            Http.Dispose();
            SqliteConnection.ClearAllPools();
            Directory.Delete(DataDir, recursive: true);
            await TestStore.DropAsync(_store, TestTimeouts.Token());
        }
    }

    /// <summary>
    /// Removes every installed plugin and waits until the reconciler has stopped and forgotten their pools: pool instances,
    /// like agents, outlive a stopped server, and a pool is no agent the removal above sees.
    /// </summary>
    private async Task RemovePluginsAsync()
    {
        var plugins = await Http.GetFromJsonAsync<List<PluginSummary>>("/api/v1/plugins", BerthJson.Options, TestTimeouts.Token(TestTimeouts.Quick));
        foreach (var plugin in plugins ?? [])
        {
            await Http.DeleteAsync($"/api/v1/plugins/{plugin.Id}", TestTimeouts.Token());
        }

        var store = Server.Services.GetRequiredService<IAgentStore>();
        await Eventually.TrueAsync(
            async ct => !(await store.ListWithPoolsAsync(ct)).Any(a => a.Plugin is not null), "every plugin pool to be stopped and forgotten");
    }

    private static string[] Args(string dataDir, string runtime, string? store, IReadOnlyList<string> extraArgs) =>
        ["--urls", "http://127.0.0.1:0", "--data-dir", dataDir, "--runtime", runtime, "--Berth:Reconciler:Interval=00:00:00.250", .. TestStore.Arguments(store), .. extraArgs];
}
