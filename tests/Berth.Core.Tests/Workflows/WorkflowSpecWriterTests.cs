using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Core.Workflows;

namespace Berth.Core.Tests.Workflows;

public sealed class WorkflowSpecWriterTests
{
    [Fact]
    public void ToYaml_WordStats_ReadsBackEqual() => RoundTrip(SpecReader.Read(WorkflowYaml.WordStats).Workflows[0]);

    [Fact]
    public void ToYaml_EveryField_ReadsBackEqual() => RoundTrip(new WorkflowSpec
    {
        Name = "full",
        Inputs = new Dictionary<string, WorkflowInputSpec>
        {
            ["text"] = new() { Required = true, Description = "what: to count" },
            ["n"] = new() { Type = InputType.Number, Default = 2.5 },
            ["items"] = new() { Type = InputType.List, Default = new JsonArray("1", 2, true, null, new JsonArray("x")) },
            ["opts"] = new() { Type = InputType.Map, Default = new JsonObject { ["k"] = "${HOME} ${{ x }}" } },
        },
        Concurrency = 9,
        Timeout = TimeSpan.FromMinutes(90),
        Steps =
        [
            new StepSpec
            {
                Id = "a",
                
                Container = new ContainerStepSpec { Image = "local/busybox:1", Command = ["sh", "-c", "echo ${{ inputs.text }}"], Args = ["3", ""], Env = new Dictionary<string, string> { ["A"] = "true" }, Workdir = "/w", Files = new Dictionary<string, string> { ["/in/x"] = "${{ inputs.text }}" }, Outputs = ["/out"] },
                ForEach = "${{ inputs.items }}",
                Retry = new StepRetrySpec { MaxAttempts = 5, Backoff = BackoffKind.Linear, InitialDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromMinutes(2), Jitter = false, On = [ErrorClass.CircuitOpen, ErrorClass.User] },
                Cache = new StepCacheSpec { Enabled = false, Ttl = TimeSpan.FromDays(1) },
                ContinueOnError = true,
            },
            new StepSpec { Id = "b", Agent = new AgentStepSpec { Name = "x", Method = "PUT", Path = "/p", Body = new JsonObject { ["s"] = "1", ["n"] = 1, ["l"] = new JsonArray() }, Headers = new Dictionary<string, string> { ["X-A"] = "${{ steps.a.exitCode }}" } }, DependsOn = ["a"], When = "${{ inputs.n > 1 }}", Timeout = TimeSpan.FromSeconds(30) },
            new StepSpec { Id = "c", Workflow = new ChildWorkflowStepSpec { Name = "other", Inputs = new Dictionary<string, JsonNode?> { ["v"] = "no", ["z"] = null } } },
        ],
        Schedules = [new ScheduleSpec { Cron = "0 0/5 * * * ?", Inputs = new Dictionary<string, JsonNode?> { ["text"] = "on" } }],
    });

    private static void RoundTrip(WorkflowSpec spec)
    {
        var yaml = SpecWriter.ToYaml(spec);

        var set = SpecReader.Read(yaml, SpecReadOptions.Default with { Environment = name => name == "HOME" ? "/root" : null });

        set.Errors.ShouldBeEmpty(yaml);
        JsonSerializer.Serialize(set.Workflows.ShouldHaveSingleItem(), BerthJson.Options).ShouldBe(JsonSerializer.Serialize(spec, BerthJson.Options), yaml);
    }
}
