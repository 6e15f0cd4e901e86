using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Core.Workflows;

namespace Berth.Core.Tests.Workflows;

public sealed class WorkflowJsonTests
{
    [Fact]
    public void Serialize_WorkflowSpec_RoundTripsJsonNodesDurationsAndEnums()
    {
        var spec = SpecReader.Read(WorkflowYaml.WordStats).Workflows[0] with
        {
            Timeout = TimeSpan.FromMinutes(5),
            Inputs = new Dictionary<string, WorkflowInputSpec> { ["text"] = new() { Required = true }, ["n"] = new() { Type = InputType.Map, Default = new JsonObject { ["a"] = new JsonArray(1, "b") } } },
            Schedules = [new ScheduleSpec { Cron = "0 0/5 * * * ?", Inputs = new Dictionary<string, JsonNode?> { ["text"] = "hi" } }],
        };

        var json = JsonSerializer.Serialize(spec, BerthJson.Options);
        var back = JsonSerializer.Deserialize<WorkflowSpec>(json, BerthJson.Options);

        json.ShouldContain("\"type\":\"object\"");
        json.ShouldContain("\"retry\":{}", customMessage: "a retry block of defaults is written empty");
        json.ShouldNotContain("\"kind\"", customMessage: "the step kind is derived, never written");
        back.ShouldNotBeNull();
        JsonSerializer.Serialize(back, BerthJson.Options).ShouldBe(json);
        back.Timeout.ShouldBe(TimeSpan.FromMinutes(5));
        back.Steps[2].Retry!.On.ShouldBe([ErrorClass.Transient, ErrorClass.Timeout]);
        JsonNode.DeepEquals(back.Steps[2].Agent!.Body, spec.Steps[2].Agent!.Body).ShouldBeTrue();
        JsonNode.DeepEquals(back.Inputs["n"].Default, spec.Inputs["n"].Default).ShouldBeTrue();
    }

    [Fact]
    public void Serialize_CircuitOpen_IsKebabCase() =>
        JsonSerializer.Serialize(ErrorClass.CircuitOpen, BerthJson.Options).ShouldBe("\"circuit-open\"");
}
