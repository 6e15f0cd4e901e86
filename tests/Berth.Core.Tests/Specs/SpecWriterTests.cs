using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class SpecWriterTests
{
    public static TheoryData<string> Specs() => new(Examples.Keys);

    private static readonly Dictionary<string, AgentSpec> Examples = new()
    {
        ["minimal"] = new AgentSpec { Name = "echo", Image = "local/echo:1" },
        ["full-container"] = new AgentSpec
        {
            Name = "full",
            Image = "registry.example.com:5000/team/full:2",
            Command = ["/bin/sh"],
            Args = ["-c", "echo \"hi\" # not a comment", "8000", "true", "", "${{ inputs.x }}", "$(PORT)", "a: b", "[x]"],
            Port = 9000,
            Env = new Dictionary<string, string>
            {
                ["API_KEY"] = "${secret:openai}",
                ["LITERAL"] = "${HOME} and $${X}",
                ["NUMBER"] = "3",
                ["BOOL"] = "false",
                ["NULLISH"] = "~",
                ["EMPTY"] = "",
                ["QUOTES"] = "it's \"quoted\"",
                ["MULTI"] = "line1\nline2",
            },
            Resources = new ResourceSpec { MemoryBytes = 100_000_000, Cpus = 0.0005 },
            Volumes =
            [
                new VolumeSpec { Source = "data", Target = "/data" },
                new VolumeSpec { Source = "/srv/in", Target = "/in", ReadOnly = true },
                new VolumeSpec { Source = "/odd:path", Target = "/odd", ReadOnly = true },
            ],
            Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(90), Timeout = TimeSpan.FromMilliseconds(1500), Retries = 7, StartPeriod = TimeSpan.FromSeconds(5) },
            Replicas = 0,
            Restart = new RestartSpec { Policy = RestartPolicy.OnFailure, MaxBackoff = TimeSpan.FromHours(1) },
            Capabilities = [new() { Name = "summarize" }, new() { Name = "translate" }],
            DependsOn = ["vector-db"],
        },
        ["build"] = new AgentSpec { Name = "built", Build = new BuildSpec { Context = "/src/app", Dockerfile = "docker/Dockerfile.dev" }, Restart = new RestartSpec { Policy = RestartPolicy.Never } },
        ["process"] = new AgentSpec
        {
            Name = "proc",
            Process = new ProcessSpec { Command = "/usr/bin/dotnet", Args = ["hello.dll", "--port", "$(PORT)"], WorkingDir = "/srv/bin" },
            Resources = new ResourceSpec { MemoryBytes = 512L << 20 },
            Health = new HealthSpec { Retries = 1 },
        },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void ToYaml_ThenRead_YieldsEqualSpec(string example)
    {
        var spec = Examples[example];

        var yaml = SpecWriter.ToYaml(spec);
        var back = SpecReader.Read(yaml, SpecTestData.WithEnvironment(("HOME", "/root"), ("X", "x")));

        back.Errors.ShouldBeEmpty(yaml + string.Join(" | ", back.Errors));
        JsonSerializer.Serialize(back.Agents.ShouldHaveSingleItem(), BerthJson.Options).ShouldBe(JsonSerializer.Serialize(spec, BerthJson.Options));
    }

    [Fact]
    public void ToYaml_MinimalSpec_OmitsDefaults() =>
        SpecWriter.ToYaml(Examples["minimal"]).ShouldBe("apiVersion: berth/v1\nkind: Agent\nmetadata:\n  name: echo\nspec:\n  image: local/echo:1\n", StringCompareShould.IgnoreLineEndings);

    [Fact]
    public void ToYaml_Settings_UseHumanUnits()
    {
        var yaml = SpecWriter.ToYaml(Examples["full-container"]);

        yaml.ShouldContain("interval: 1m30s");
        yaml.ShouldContain("timeout: 1s500ms");
        yaml.ShouldContain("maxBackoff: 1h");
        yaml.ShouldContain("policy: on-failure");
        yaml.ShouldContain("\n  - source: data\n    target: /data\n");
        yaml.ShouldContain("\n  - source: /srv/in\n    target: /in\n    readOnly: true\n");
        yaml.ShouldContain("API_KEY: ${secret:openai}");
        yaml.ShouldContain("NUMBER: \"3\"");
        yaml.ShouldContain("replicas: 0");
        yaml.ShouldNotContain("retries: 3");
    }

    [Fact]
    public void ToYaml_ProcessSpec_WritesSizesAndOmitsEmpty()
    {
        var yaml = SpecWriter.ToYaml(Examples["process"]);

        yaml.ShouldContain("memory: 512Mi");
        yaml.ShouldContain("retries: 1");
        yaml.ShouldNotContain("interval");
        yaml.ShouldNotContain("env");
        yaml.ShouldNotContain("volumes");
        yaml.ShouldNotContain("restart");
        yaml.ShouldNotContain("  port:");
    }
}
