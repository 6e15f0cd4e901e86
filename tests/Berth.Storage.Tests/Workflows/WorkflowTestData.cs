using System.Text.Json.Nodes;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;

namespace Berth.Storage.Tests.Workflows;

/// <summary>Specs, runs and steps for the workflow store tests.</summary>
internal static class WorkflowTestData
{
    public static WorkflowSpec SimpleSpec(string name, string image = "local/build:1") => new()
    {
        Name = name,
        Steps =
        [
            new StepSpec { Id = "build", Container = new ContainerStepSpec { Image = image } },
            new StepSpec { Id = "test", Container = new ContainerStepSpec { Image = image }, DependsOn = ["build"] },
            new StepSpec { Id = "ship", Container = new ContainerStepSpec { Image = image }, DependsOn = ["test"] },
        ],
    };

    /// <summary>A spec that sets every kind of field: JSON nodes, durations, enums, dictionaries, nested records.</summary>
    public static WorkflowSpec FullSpec(string name) => new()
    {
        Name = name,
        Inputs = new Dictionary<string, WorkflowInputSpec>
        {
            ["target"] = new() { Type = InputType.Text, Required = true, Description = "where to deploy" },
            ["replicas"] = new() { Type = InputType.Number, Default = JsonValue.Create(3) },
            ["deploy"] = new() { Type = InputType.Boolean, Default = JsonValue.Create(false) },
            ["regions"] = new() { Type = InputType.List, Default = new JsonArray("eu", "us") },
            ["labels"] = new() { Type = InputType.Map, Default = new JsonObject { ["team"] = "infra", ["tier"] = 1 } },
        },
        Concurrency = 8,
        Timeout = TimeSpan.FromMinutes(90),
        Steps =
        [
            new StepSpec
            {
                Id = "build",
                
                Container = new ContainerStepSpec
                {
                    Image = "local/build:1",
                    Command = ["/bin/sh", "-c"],
                    Args = ["make all"],
                    Env = new Dictionary<string, string> { ["TOKEN"] = "${secret:TOKEN}", ["TARGET"] = "${{ inputs.target }}" },
                    Workdir = "/src",
                    Files = new Dictionary<string, string> { ["/src/Makefile"] = "all:\n\techo hi\n" },
                    Outputs = ["/src/out"],
                },
                Retry = new StepRetrySpec
                {
                    MaxAttempts = 5,
                    Backoff = BackoffKind.Linear,
                    InitialDelay = TimeSpan.FromMilliseconds(250),
                    MaxDelay = TimeSpan.FromMinutes(2),
                    Jitter = false,
                    On = [ErrorClass.Transient, ErrorClass.CircuitOpen, ErrorClass.Resource],
                },
                Timeout = TimeSpan.FromSeconds(45),
                Cache = new StepCacheSpec { Enabled = true, Ttl = TimeSpan.FromDays(2) },
            },
            new StepSpec
            {
                Id = "ask",
                
                Agent = new AgentStepSpec
                {
                    Name = "reviewer",
                    Method = "PUT",
                    Path = "/review",
                    Body = new JsonObject { ["diff"] = "${{ steps.build.outputs.stdout }}", ["n"] = 1.5, ["tags"] = new JsonArray("a", null, true) },
                    Headers = new Dictionary<string, string> { ["X-Run"] = "${{ run.id }}" },
                },
                DependsOn = ["build"],
                When = "${{ inputs.deploy == true }}",
                ContinueOnError = true,
            },
            new StepSpec
            {
                Id = "child",
                
                Workflow = new ChildWorkflowStepSpec { Name = "deploy", Inputs = new Dictionary<string, JsonNode?> { ["region"] = "${{ item }}", ["none"] = null } },
                ForEach = "${{ inputs.regions }}",
            },
        ],
        Schedules = [new ScheduleSpec { Cron = "0 0/5 * * * ?", Inputs = new Dictionary<string, JsonNode?> { ["target"] = "staging" } }],
    };

    public static string NewRunId() => Guid.CreateVersion7().ToString("N");

    public static WorkflowRun Run(WorkflowSpec spec, DateTimeOffset createdAt, RunState state = RunState.Queued, string? id = null) => new()
    {
        Id = id ?? NewRunId(),
        WorkflowName = spec.Name,
        Spec = spec,
        Inputs = new JsonObject { ["target"] = "prod", ["replicas"] = 2, ["regions"] = new JsonArray("eu") },
        State = state,
        StartedBy = "alice",
        CreatedAt = createdAt,
    };

    public static IReadOnlyList<StepRun> PendingSteps(WorkflowRun run) =>
        run.Spec.Steps.Select(s => new StepRun { RunId = run.Id, StepId = s.Id, State = StepState.Pending }).ToList();

    public static RunEvent Event(WorkflowRun run, DateTimeOffset time, string type = "run.started", string? stepId = null, int? attempt = null, string? message = null) =>
        new() { RunId = run.Id, Time = time, Type = type, StepId = stepId, Attempt = attempt, Message = message };
}
