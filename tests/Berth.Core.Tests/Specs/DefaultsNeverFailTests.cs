using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Core.Tests.Workflows;

namespace Berth.Core.Tests.Specs;

/// <summary>A field the user leaves out takes a default that fits the fields they did write; a default never fails validation.</summary>
public sealed class DefaultsNeverFailTests
{
    private static SpecSet ReadAgent(params string[] lines) =>
        SpecTestData.Read(SpecTestData.Agent(SpecTestData.UniqueName(), ["image: local/echo:1", .. lines]));

    [Theory]
    [InlineData("1s", 1000)]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2000)]
    [InlineData("10s", 2000)]
    public void Read_HealthIntervalWithoutTimeout_IsValidAndTimeoutIsAtMostTheInterval(string interval, int expectedMilliseconds)
    {
        var health = ReadAgent($"health: {{ path: /health, interval: {interval} }}").ShouldBeSingleValidAgent().Health;

        health.Timeout.ShouldBe(TimeSpan.FromMilliseconds(expectedMilliseconds));
    }

    [Fact]
    public void Read_HealthTimeoutWrittenAsNothing_KeepsFollowingTheInterval() =>
        ReadAgent("health:", "  timeout:", "  interval: 1s").ShouldBeSingleValidAgent().Health.Timeout.ShouldBe(TimeSpan.FromSeconds(1));

    [Fact]
    public void Read_HealthTimeoutLongerThanTheIntervalWritten_IsStillRefused() =>
        ReadAgent("health: { interval: 1s, timeout: 2s }").ShouldHaveOneError("spec.health.timeout").Message.ShouldContain("longer than the interval");

    [Fact]
    public void Validate_JsonHealthWithOnlyAShortInterval_IsValid()
    {
        var spec = JsonSerializer.Deserialize<AgentSpec>("""{"name":"echo","image":"local/echo:1","health":{"path":"/health","interval":"1s"}}""", BerthJson.Options)!;

        AgentSpecValidator.Validate(spec).ShouldBeEmpty();
        spec.Health.Timeout.ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Read_PersistenceBackoffLongerThanTheDefaultMaximum_IsValidAndTheMaximumFollows()
    {
        var persistence = ReadAgent("persistence: { backoff: 2m }").ShouldBeSingleValidAgent().Persistence;

        persistence.MaxBackoff.ShouldBe(TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void Read_PersistenceMaxBackoffBelowTheBackoffWritten_IsStillRefused() =>
        ReadAgent("persistence: { backoff: 2m, maxBackoff: 1m }").ShouldHaveOneError("spec.persistence.maxBackoff");

    [Fact]
    public void Read_RetryInitialDelayLongerThanTheDefaultMaximum_IsValidAndTheMaximumFollows()
    {
        var set = SpecTestData.Read(WorkflowYaml.With("""
                - id: a
                  container: { image: local/busybox:1, command: [true] }
                  retry: { initialDelay: 1m }
            """));

        set.Errors.ShouldBeEmpty(string.Join(" | ", set.Errors));
        set.Workflows.ShouldHaveSingleItem().Steps[0].Retry!.MaxDelay.ShouldBe(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Write_DefaultedHealthAndPersistence_RoundTripsToTheSameSpec()
    {
        var agent = ReadAgent("health: { path: /health, interval: 1s }", "persistence: { backoff: 2m }").ShouldBeSingleValidAgent();

        var again = SpecTestData.Read(SpecWriter.ToYaml(agent)).ShouldBeSingleValidAgent();

        again.Health.ShouldBe(agent.Health);
        again.Persistence.ShouldBe(agent.Persistence);
    }
}
