using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Specs;

namespace Berth.Core.Tests.Serialization;

public sealed class BerthJsonTests
{
    private static readonly AgentSpec Spec = new()
    {
        Name = "echo",
        Image = "local/echo:1",
        Env = new Dictionary<string, string> { ["API_KEY"] = "${secret:openai}" },
        Resources = new ResourceSpec { MemoryBytes = 512L << 20, Cpus = 0.5 },
        Volumes = [new VolumeSpec { Source = "data", Target = "/data", ReadOnly = true }],
        Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(30), Timeout = TimeSpan.FromMilliseconds(1500) },
        Restart = new RestartSpec { Policy = RestartPolicy.OnFailure, MaxBackoff = TimeSpan.FromMinutes(5) },
        Capabilities = [new() { Name = "summarize" }],
        DependsOn = ["db"],
    };

    [Fact]
    public void Serialize_AgentSpec_UsesBerthConventions()
    {
        var json = JsonSerializer.Serialize(Spec, BerthJson.Options);

        json.ShouldContain("\"policy\":\"on-failure\"");
        json.ShouldContain("\"interval\":\"30s\"");
        json.ShouldContain("\"timeout\":\"1s500ms\"");
        json.ShouldContain("\"restart\":{\"policy\":\"on-failure\"}", customMessage: "maxBackoff 5m is the default, so it is left out");
        json.ShouldContain("\"memory\":\"512Mi\"");
        json.ShouldNotContain("\"kind\"");
        json.ShouldContain("\"API_KEY\":\"${secret:openai}\"");
        json.ShouldNotContain("\"build\"");
    }

    [Fact]
    public void Deserialize_SerializedAgentSpec_RoundTrips()
    {
        var json = JsonSerializer.Serialize(Spec, BerthJson.Options);

        var back = JsonSerializer.Deserialize<AgentSpec>(json, BerthJson.Options);

        back.ShouldNotBeNull();
        JsonSerializer.Serialize(back, BerthJson.Options).ShouldBe(json);
        back.Restart.ShouldBe(Spec.Restart);
        back.Health.ShouldBe(Spec.Health);
    }

    [Fact]
    public void Deserialize_DurationAsSecondsNumber_IsAccepted() =>
        JsonSerializer.Deserialize<HealthSpec>("{\"interval\":15}", BerthJson.Options)!.Interval.ShouldBe(TimeSpan.FromSeconds(15));

    [Fact]
    public void Deserialize_BadDuration_SaysWhatIsExpected() =>
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<HealthSpec>("{\"interval\":\"soon\"}", BerthJson.Options))
            .Message.ShouldContain("expected a duration like 30s");

    [Fact]
    public void Deserialize_UnknownMember_IsRejected() =>
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<RestartSpec>("{\"policy\":\"never\",\"max\":\"1s\"}", BerthJson.Options));
}
