using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Docker;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Workflows.Engine;

/// <summary>A real server on the Docker runtime for workflow tests, with helpers to apply workflows, start runs and wait for them.</summary>
internal sealed class WorkflowServer : IAsyncDisposable
{
    private WorkflowServer(TestServer server, DockerEngineClient docker)
    {
        Server = server;
        Docker = docker;
    }

    public TestServer Server { get; }

    public DockerEngineClient Docker { get; }

    public HttpClient Http => Server.Http;

    /// <summary>Starts a server on the <c>auto</c> runtime: container steps on Docker, process agents for agent steps.</summary>
    public static async Task<WorkflowServer> StartAsync(IReadOnlyList<string>? extraArgs = null, Action<IServiceCollection>? services = null)
    {
        var docker = await DockerTestEnvironment.RequireAsync();
        await TestImages.EnsureBusyboxAsync(docker, TestTimeouts.Token());
        return new WorkflowServer(await TestServer.StartAsync("auto", extraArgs: extraArgs, services: services), docker);
    }

    /// <summary>The engine's container events (<c>create</c>, <c>start</c>, <c>die</c>…) for the run's steps since <paramref name="since"/>, oldest first.</summary>
    public async Task<List<EngineEvent>> ContainerEventsAsync(string runId, DateTimeOffset since, params string[] actions)
    {
        var query = new EventsQuery
        {
            Since = since,
            Until = DateTimeOffset.UtcNow.AddSeconds(1),
            Filters = new Dictionary<string, IReadOnlyList<string>>
            {
                ["type"] = ["container"],
                ["event"] = actions,
                ["label"] = [$"berth.run={runId}"],
            },
        };
        var events = new List<EngineEvent>();
        await foreach (var item in Docker.GetEventsAsync(query, TestTimeouts.Token()))
        {
            events.Add(item);
        }

        return events;
    }

    /// <summary>Step containers of the run that still exist.</summary>
    public async Task<int> ContainersLeftAsync(string runId) =>
        (await Docker.ListContainersAsync(new ContainerListQuery { Labels = [$"berth.run={runId}"] }, TestTimeouts.Token())).Count;

    public async Task ApplyAsync(WorkflowSpec spec)
    {
        using var response = await Http.PutAsJsonAsync($"/api/v1/workflows/{spec.Name}", Berth.Core.Specs.SpecDocuments.ToDocument(spec), BerthJson.Options, TestTimeouts.Token());
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    public async Task<RunView> StartAsync(string workflow, JsonObject? inputs = null)
    {
        using var response = await Http.PostAsJsonAsync($"/api/v1/workflows/{workflow}/runs", new StartRunRequest { Inputs = inputs }, BerthJson.Options, TestTimeouts.Token());
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunView>(BerthJson.Options))!;
    }

    public async Task<RunView> GetAsync(string runId) =>
        (await Http.GetFromJsonAsync<RunView>($"/api/v1/runs/{runId}", BerthJson.Options, TestTimeouts.Token()))!;

    /// <summary>Polls until the run satisfies <paramref name="condition"/>; fails with its last view when it does not in time.</summary>
    public Task<RunView> WaitForAsync(string runId, Func<RunView, bool> condition, TimeSpan? timeout = null) =>
        Eventually.MatchAsync(
            async token => (await Http.GetFromJsonAsync<RunView>($"/api/v1/runs/{runId}", BerthJson.Options, token))!,
            condition,
            run => $"run {runId}: {run?.State}, steps {string.Join(", ", run?.Steps?.Select(s => $"{s.Id}:{s.State}") ?? [])}",
            timeout);

    /// <summary>Polls until the run has finished; fails with its last view when it does not in time.</summary>
    public Task<RunView> WaitAsync(string runId, TimeSpan? timeout = null) =>
        WaitForAsync(runId, run => run.State is RunState.Succeeded or RunState.Failed or RunState.Cancelled, timeout);

    public async Task<RunView> RunAsync(WorkflowSpec spec, JsonObject? inputs = null)
    {
        await ApplyAsync(spec);
        var run = await StartAsync(spec.Name, inputs);
        return await WaitAsync(run.Id);
    }

    /// <summary>The run's stored events (not following).</summary>
    public async Task<List<RunEvent>> EventsAsync(string runId)
    {
        var text = await Http.GetStringAsync($"/api/v1/runs/{runId}/events?follow=false", TestTimeouts.Token());
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n').FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal)))
            .OfType<string>()
            .Select(line => System.Text.Json.JsonSerializer.Deserialize<RunEvent>(line["data: ".Length..], BerthJson.Options)!)
            .ToList();
    }

    /// <summary>How many containers the engine created for <paramref name="runId"/> since <paramref name="since"/> (from the engine's event log).</summary>
    public async Task<int> ContainersCreatedAsync(string runId, DateTimeOffset since) =>
        (await ContainerEventsAsync(runId, since, "create")).Count;

    /// <summary>Why the step of the run hit or missed the cache.</summary>
    public async Task<CacheExplanation> ExplainAsync(string runId, string stepId) =>
        (await Http.GetFromJsonAsync<CacheExplanation>($"/api/v1/runs/{runId}/steps/{stepId}/explain", BerthJson.Options, TestTimeouts.Token()))!;

    /// <summary>A busybox shell step.</summary>
    public static StepSpec Shell(
        string id,
        string script,
        IReadOnlyDictionary<string, string>? files = null,
        IReadOnlyList<string>? outputs = null,
        IReadOnlyList<string>? dependsOn = null,
        IReadOnlyDictionary<string, string>? env = null) => new()
    {
        Id = id,
        
        DependsOn = dependsOn ?? [],
        Container = new ContainerStepSpec
        {
            Image = TestImages.Busybox,
            Command = ["/bin/busybox", "sh", "-c"],
            Args = [script],
            Files = files ?? new Dictionary<string, string>(),
            Env = env ?? new Dictionary<string, string>(),
            Outputs = outputs ?? [],
        },
    };

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Docker.Dispose();
    }
}
