using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class AgentSpecValidatorTests
{
    private static SpecError SingleError(AgentSpec spec, string path)
    {
        var errors = AgentSpecValidator.Validate(spec);
        errors.Count.ShouldBe(1, string.Join(" | ", errors));
        errors[0].Path.ShouldBe(path);
        return errors[0];
    }

    [Fact]
    public void Validate_MinimalContainer_HasNoErrors() =>
        AgentSpecValidator.Validate(SpecTestData.ValidContainer()).ShouldBeEmpty();

    [Fact]
    public void Validate_FullProcessAgent_HasNoErrors()
    {
        var spec = new AgentSpec
        {
            Name = SpecTestData.UniqueName(),
            Process = new ProcessSpec { Command = "dotnet", Args = ["app.dll", "--port", "$(PORT)"], WorkingDir = "/srv/app" },
            Env = new Dictionary<string, string> { ["API_KEY"] = "${secret:openai}", ["_x1"] = "1" },
            Resources = new ResourceSpec { MemoryBytes = 6L << 20, Cpus = 0.5 },
            Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(5), Retries = 1 },
            Replicas = 0,
            Capabilities = [new() { Name = "summarize" }, new() { Name = "translate" }],
            DependsOn = ["vector-db"],
        };

        AgentSpecValidator.Validate(spec).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Echo")]
    [InlineData("-echo")]
    [InlineData("echo-")]
    [InlineData("echo_1")]
    [InlineData("echo.1")]
    [InlineData("")]
    public void Validate_InvalidName_ReportsMetadataName(string name) =>
        SingleError(SpecTestData.ValidContainer() with { Name = name }, "metadata.name").Message.ShouldContain("DNS label");

    [Fact]
    public void Validate_NameOf64Characters_IsRejectedButSixtyThreeAccepted()
    {
        SingleError(SpecTestData.ValidContainer(new string('a', 64)), "metadata.name");
        AgentSpecValidator.Validate(SpecTestData.ValidContainer(new string('a', 63))).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_OtherPrefix_UsesPrefixForNameAndFields()
    {
        var errors = AgentSpecValidator.Validate(SpecTestData.ValidContainer("Bad") with { Port = 0 }, "agents[2]");
        errors.Select(e => e.Path).ShouldBe(["agents[2].name", "agents[2].port"]);
        AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Port = 0 }, string.Empty).ShouldHaveSingleItem().Path.ShouldBe("port");
    }

    [Fact]
    public void Validate_NoSource_NamesAllThree()
    {
        var error = SingleError(new AgentSpec { Name = "echo" }, "spec");
        error.Message.ShouldContain("image");
        error.Message.ShouldContain("build");
        error.Message.ShouldContain("process");
    }

    [Fact]
    public void Validate_ImageAndProcess_ReportsBoth()
    {
        var spec = SpecTestData.ValidContainer() with { Process = new ProcessSpec { Command = "sh" } };
        SingleError(spec, "spec.process").Message.ShouldContain("found image and process");
    }

    [Theory]
    [InlineData("local/Echo:1")]
    [InlineData("local/echo :1")]
    [InlineData("local/echo:")]
    [InlineData("local//echo")]
    [InlineData("local/echo@sha256:abc")]
    [InlineData(":1")]
    public void Validate_ImplausibleImage_ReportsImage(string image) =>
        SingleError(SpecTestData.ValidContainer() with { Image = image }, "spec.image").Message.ShouldContain("local/echo:1");

    [Theory]
    [InlineData("echo")]
    [InlineData("local/echo:1")]
    [InlineData("registry.example.com:5000/team/echo:v1.2-rc_3")]
    [InlineData("localhost/echo")]
    [InlineData("Registry.Example.com/echo")]
    [InlineData("my_org/echo-server__x:latest")]
    [InlineData("echo@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Validate_PlausibleImage_IsAccepted(string image) =>
        AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Image = image }).ShouldBeEmpty();

    [Fact]
    public void Validate_RelativeBuildContext_ReportsContext()
    {
        var spec = new AgentSpec { Name = "echo", Build = new BuildSpec { Context = "./echo" } };
        SingleError(spec, "spec.build.context").Message.ShouldContain("absolute");
        AgentSpecValidator.Validate(spec with { Build = new BuildSpec { Context = "/src/echo" } }).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_EmptyDockerfile_ReportsDockerfile() =>
        SingleError(new AgentSpec { Name = "echo", Build = new BuildSpec { Context = "/src", Dockerfile = " " } }, "spec.build.dockerfile");

    [Fact]
    public void Validate_ProcessProblems_ReportsCommandAndWorkingDir()
    {
        var errors = AgentSpecValidator.Validate(new AgentSpec { Name = "p", Process = new ProcessSpec { Command = "", WorkingDir = "bin" } });
        errors.Select(e => e.Path).ShouldBe(["spec.process.command", "spec.process.workingDir"]);
    }

    [Fact]
    public void Validate_CommandOnProcessAgent_PointsToProcessArgs()
    {
        var spec = new AgentSpec { Name = "p", Process = new ProcessSpec { Command = "sh" }, Command = ["x"], Args = ["y"] };
        var errors = AgentSpecValidator.Validate(spec);
        errors.Select(e => e.Path).ShouldBe(["spec.command", "spec.args"]);
        errors[1].Message.ShouldContain("process.args");
    }

    [Fact]
    public void Validate_VolumesOnProcessAgent_IsRejected() =>
        SingleError(new AgentSpec { Name = "p", Process = new ProcessSpec { Command = "sh" }, Volumes = [new VolumeSpec { Source = "d", Target = "/d" }] }, "spec.volumes");

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Validate_PortOutOfRange_ReportsPort(int port) =>
        SingleError(SpecTestData.ValidContainer() with { Port = port }, "spec.port").Message.ShouldContain("1 to 65535");

    [Theory]
    [InlineData(1)]
    [InlineData(65535)]
    public void Validate_PortAtBounds_IsAccepted(int port) =>
        AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Port = port }).ShouldBeEmpty();

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Validate_ReplicasOutOfRange_ReportsReplicas(int replicas) =>
        SingleError(SpecTestData.ValidContainer() with { Replicas = replicas }, "spec.replicas").Message.ShouldContain("0 to 100");

    [Fact]
    public void Validate_HundredReplicas_IsAccepted() =>
        AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Replicas = 100 }).ShouldBeEmpty();

    [Theory]
    [InlineData("1KEY", "spec.env['1KEY']")]
    [InlineData("MY-KEY", "spec.env.MY-KEY")]
    [InlineData("MY KEY", "spec.env['MY KEY']")]
    [InlineData("", "spec.env['']")]
    public void Validate_InvalidEnvName_ReportsEnvEntry(string name, string path) =>
        SingleError(SpecTestData.ValidContainer() with { Env = new Dictionary<string, string> { [name] = "v" } }, path);

    [Theory]
    [InlineData("${secret:bad name}")]
    [InlineData("${secret:}")]
    [InlineData("prefix ${secret:open")]
    public void Validate_InvalidSecretReference_ReportsEnvEntry(string value) =>
        SingleError(SpecTestData.ValidContainer() with { Env = new Dictionary<string, string> { ["KEY"] = value } }, "spec.env.KEY").Message.ShouldContain("${secret:NAME}");

    [Fact]
    public void Validate_SecretReferenceInArgs_SaysToUseEnv() =>
        SingleError(SpecTestData.ValidContainer() with { Args = ["--key", "${secret:openai}"] }, "spec.args[1]").Message.ShouldContain("only in env");

    [Fact]
    public void Validate_HealthPathWithoutSlash_ReportsPath() =>
        SingleError(SpecTestData.ValidContainer() with { Health = new HealthSpec { Path = "health" } }, "spec.health.path").Message.ShouldContain("'/'");

    [Fact]
    public void Validate_ZeroInterval_ReportsInterval() =>
        SingleError(SpecTestData.ValidContainer() with { Health = new HealthSpec { Interval = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(1) } }, "spec.health.interval");

    [Fact]
    public void Validate_ZeroTimeout_ReportsTimeout() =>
        SingleError(SpecTestData.ValidContainer() with { Health = new HealthSpec { Timeout = TimeSpan.Zero } }, "spec.health.timeout");

    [Fact]
    public void Validate_TimeoutLongerThanInterval_ReportsTimeout() =>
        SingleError(SpecTestData.ValidContainer() with { Health = new HealthSpec { Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(6) } }, "spec.health.timeout")
            .Message.ShouldContain("no longer than the interval");

    [Fact]
    public void Validate_ZeroRetries_ReportsRetries() =>
        SingleError(SpecTestData.ValidContainer() with { Health = new HealthSpec { Retries = 0 } }, "spec.health.retries");

    [Fact]
    public void Validate_NegativeStartPeriod_ReportsStartPeriod() =>
        SingleError(SpecTestData.ValidContainer() with { Health = new HealthSpec { StartPeriod = TimeSpan.FromSeconds(-1) } }, "spec.health.startPeriod");

    [Fact]
    public void Validate_MemoryBelowDockerMinimum_ReportsMemory()
    {
        SingleError(SpecTestData.ValidContainer() with { Resources = new ResourceSpec { MemoryBytes = (6L << 20) - 1 } }, "spec.resources.memory").Message.ShouldContain("6Mi");
        AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Resources = new ResourceSpec { MemoryBytes = 6L << 20 } }).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_NonPositiveCpus_ReportsCpus(double cpus) =>
        SingleError(SpecTestData.ValidContainer() with { Resources = new ResourceSpec { Cpus = cpus } }, "spec.resources.cpus");

    [Fact]
    public void Validate_RelativeVolumeTarget_ReportsTarget() =>
        SingleError(SpecTestData.ValidContainer() with { Volumes = [new VolumeSpec { Source = "data", Target = "data" }] }, "spec.volumes[0].target");

    [Fact]
    public void Validate_SameTargetTwice_ReportsSecond() =>
        SingleError(SpecTestData.ValidContainer() with { Volumes = [new VolumeSpec { Source = "a", Target = "/d" }, new VolumeSpec { Source = "b", Target = "/d/" }] }, "spec.volumes[1].target");

    [Theory]
    [InlineData("Data")]
    [InlineData("./data")]
    [InlineData("my_data")]
    public void Validate_InvalidVolumeSource_ReportsSource(string source) =>
        SingleError(SpecTestData.ValidContainer() with { Volumes = [new VolumeSpec { Source = source, Target = "/d" }] }, "spec.volumes[0].source");

    [Fact]
    public void Validate_NamedAndHostVolumes_AreAccepted() =>
        AgentSpecValidator.Validate(SpecTestData.ValidContainer() with
        {
            Volumes = [new VolumeSpec { Source = "data", Target = "/data" }, new VolumeSpec { Source = "/srv/in", Target = "/in", ReadOnly = true }],
        }).ShouldBeEmpty();

    [Fact]
    public void Validate_DependsOnItself_IsRejected() =>
        SingleError(SpecTestData.ValidContainer("echo") with { DependsOn = ["echo"] }, "spec.dependsOn[0]").Message.ShouldContain("itself");

    [Fact]
    public void Validate_DependsOnInvalidName_IsRejected() =>
        SingleError(SpecTestData.ValidContainer() with { DependsOn = ["Vector_DB"] }, "spec.dependsOn[0]");

    [Fact]
    public void Validate_DuplicateDependency_ReportsSecond() =>
        SingleError(SpecTestData.ValidContainer() with { DependsOn = ["db", "cache", "db"] }, "spec.dependsOn[2]").Message.ShouldContain("twice");

    [Fact]
    public void Validate_DuplicateCapability_ReportsSecond() =>
        SingleError(SpecTestData.ValidContainer() with { Capabilities = [new() { Name = "summarize" }, new() { Name = "summarize" }] }, "spec.capabilities[1].name").Message.ShouldContain("twice");

    [Fact]
    public void Validate_CapabilityWithSpace_IsRejected() =>
        SingleError(SpecTestData.ValidContainer() with { Capabilities = [new() { Name = "sum marize" }] }, "spec.capabilities[0].name");

    [Fact]
    public void Validate_ZeroMaxBackoff_ReportsMaxBackoff() =>
        SingleError(SpecTestData.ValidContainer() with { Restart = new RestartSpec { MaxBackoff = TimeSpan.Zero } }, "spec.restart.maxBackoff");

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOne()
    {
        var spec = new AgentSpec { Name = "Bad", Port = 0, Replicas = -1, Health = new HealthSpec { Retries = 0 } };
        AgentSpecValidator.Validate(spec).Select(e => e.Path).ShouldBe(["metadata.name", "spec", "spec.port", "spec.replicas", "spec.health.retries"], ignoreOrder: true);
    }
}
