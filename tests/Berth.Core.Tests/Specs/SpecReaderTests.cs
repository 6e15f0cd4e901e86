using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class SpecReaderTests
{
    [Fact]
    public void Read_FullContainerSpec_ReadsEveryField()
    {
        var text = """
            apiVersion: berth/v1
            kind: Agent
            metadata:
              name: echo
            spec:
              image: local/echo:1
              command: ["/bin/sh"]
              args: ["-c", "httpd -f -p 8000"]
              port: 9000
              env: { KEY: value, API_KEY: "${secret:openai}", COUNT: 3, DEBUG: true, EMPTY: }
              resources: { memory: 512Mi, cpus: "0.5" }
              volumes: ["data:/data", "/host/path:/mnt:ro", {source: x, target: /y, readOnly: true}]
              health: { path: /health, interval: 10s, timeout: 2s, retries: 5, startPeriod: 5s }
              replicas: 2
              restart: { policy: on-failure, maxBackoff: 1m }
              capabilities: [summarize]
              dependsOn: [vector-db]
            """;

        var agent = SpecTestData.Read(text).ShouldBeSingleValidAgent();

        agent.Name.ShouldBe("echo");
        agent.Image.ShouldBe("local/echo:1");
        agent.Kind.ShouldBe(AgentKind.Container);
        agent.Command.ShouldBe(["/bin/sh"]);
        agent.Args.ShouldBe(["-c", "httpd -f -p 8000"]);
        agent.Port.ShouldBe(9000);
        agent.Env.ShouldBe(new Dictionary<string, string> { ["KEY"] = "value", ["API_KEY"] = "${secret:openai}", ["COUNT"] = "3", ["DEBUG"] = "true", ["EMPTY"] = "" });
        agent.Resources.ShouldBe(new ResourceSpec { MemoryBytes = 512L << 20, Cpus = 0.5 });
        agent.Volumes.ShouldBe(
        [
            new VolumeSpec { Source = "data", Target = "/data" },
            new VolumeSpec { Source = "/host/path", Target = "/mnt", ReadOnly = true },
            new VolumeSpec { Source = "x", Target = "/y", ReadOnly = true },
        ]);
        agent.Health.ShouldBe(new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(10), Timeout = TimeSpan.FromSeconds(2), Retries = 5, StartPeriod = TimeSpan.FromSeconds(5) });
        agent.Replicas.ShouldBe(2);
        agent.Restart.ShouldBe(new RestartSpec { Policy = RestartPolicy.OnFailure, MaxBackoff = TimeSpan.FromMinutes(1) });
        agent.Capabilities.Select(c => c.Name).ShouldBe(["summarize"]);
        agent.DependsOn.ShouldBe(["vector-db"]);
    }

    [Fact]
    public void Read_MinimalSpec_AppliesDefaults()
    {
        var name = SpecTestData.UniqueName();
        var agent = SpecTestData.Read(SpecTestData.Agent(name, "image: local/echo:1")).ShouldBeSingleValidAgent();

        agent.Name.ShouldBe(name);
        agent.Port.ShouldBe(8000);
        agent.Replicas.ShouldBe(1);
        agent.Health.ShouldBe(new HealthSpec());
        agent.Restart.ShouldBe(new RestartSpec());
        agent.Resources.ShouldBeNull();
        agent.Command.ShouldBeEmpty();
        agent.Env.ShouldBeEmpty();
    }

    [Fact]
    public void Read_ProcessAgent_ReadsProcessFields()
    {
        var agent = SpecTestData.Read(SpecTestData.Agent("hello", "process: { command: dotnet, args: [\"hello.dll\", \"--port\", \"$(PORT)\"], workingDir: /srv/bin }"))
            .ShouldBeSingleValidAgent();

        agent.Kind.ShouldBe(AgentKind.Process);
        agent.Process.ShouldNotBeNull();
        agent.Process.Command.ShouldBe("dotnet");
        agent.Process.Args.ShouldBe(["hello.dll", "--port", "$(PORT)"]);
        agent.Process.WorkingDir.ShouldBe("/srv/bin");
    }

    [Fact]
    public void Read_SingleStringCommand_IsOneItemList() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "command: /bin/sh", "args: run"))
            .ShouldBeSingleValidAgent().Command.ShouldBe(["/bin/sh"]);

    [Theory]
    [InlineData("500m", 0.5)]
    [InlineData("2", 2.0)]
    [InlineData("0.25", 0.25)]
    public void Read_CpuForms_AreCores(string cpus, double expected) =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", $"resources: {{ cpus: {cpus} }}"))
            .ShouldBeSingleValidAgent().Resources!.Cpus.ShouldBe(expected);

    [Theory]
    [InlineData("always", RestartPolicy.Always)]
    [InlineData("on-failure", RestartPolicy.OnFailure)]
    [InlineData("never", RestartPolicy.Never)]
    public void Read_RestartPolicy_IsParsed(string policy, RestartPolicy expected) =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", $"restart: {{ policy: {policy} }}"))
            .ShouldBeSingleValidAgent().Restart.Policy.ShouldBe(expected);

    [Fact]
    public void Read_UnknownRestartPolicy_ListsPolicies() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "restart: { policy: sometimes }"))
            .ShouldHaveOneError("spec.restart.policy").Message.ShouldContain("always, on-failure or never");

    [Fact]
    public void Read_MisspeltField_SuggestsNearest()
    {
        var error = SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "replica: 2")).ShouldHaveOneError("spec.replica");

        error.Message.ShouldBe("unknown field; did you mean 'replicas'?");
        error.ToString().ShouldBe("spec.replica (line 7, column 3): unknown field; did you mean 'replicas'?");
    }

    [Theory]
    [InlineData("health: { intervall: 5s }", "spec.health.intervall", "interval")]
    [InlineData("health: { startperiod: 5s }", "spec.health.startperiod", "startPeriod")]
    [InlineData("dependson: [db]", "spec.dependson", "dependsOn")]
    [InlineData("volumes: [{ source: a, target: /a, readonly: true }]", "spec.volumes[0].readonly", "readOnly")]
    public void Read_MisspeltNestedField_SuggestsNearest(string line, string path, string suggestion) =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", line)).ShouldHaveOneError(path).Message.ShouldContain($"'{suggestion}'");

    [Fact]
    public void Read_FarOffField_ListsKnownFields() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "resources: { gpu: 1 }"))
            .ShouldHaveOneError("spec.resources.gpu").Message.ShouldBe("unknown field; expected one of memory, cpus");

    [Fact]
    public void Read_MisspeltTopLevelField_SuggestsNearest()
    {
        var set = SpecTestData.Read("apiVersion: berth/v1\nkind: Agent\nmetdata: { name: echo }\nspec: { image: local/echo:1 }\n");

        set.ShouldHaveOneError("metdata").Message.ShouldContain("'metadata'");
        set.Agents.ShouldBeEmpty();
    }

    [Fact]
    public void Read_PortNotANumber_ReportsPathAndLine()
    {
        var error = SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "port: abc")).ShouldHaveOneError("spec.port");

        error.Message.ShouldBe("expected a port from 1 to 65535, found 'abc'");
        (error.Line, error.Column).ShouldBe((7, 9));
    }

    [Fact]
    public void Read_ReplicasList_IsTypeError()
    {
        var error = SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "replicas: [1]")).ShouldHaveOneError("spec.replicas");

        error.Message.ShouldContain("found a list");
        error.Line.ShouldBe(7);
    }

    [Fact]
    public void Read_MapWhereListExpected_IsTypeError() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "capabilities: { a: b }"))
            .ShouldHaveOneError("spec.capabilities").Message.ShouldBe("expected a list like [a, b], found a mapping");

    [Fact]
    public void Read_ListWhereMapExpected_IsTypeError() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "env: [A=1]"))
            .ShouldHaveOneError("spec.env").Message.ShouldContain("expected a mapping");

    [Fact]
    public void Read_ListItemOfWrongType_ReportsItemPath() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "args: [ok, {a: b}]"))
            .ShouldHaveOneError("spec.args[1]").Line.ShouldBe(7);

    [Fact]
    public void Read_EnvValueMapping_IsTypeError() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "env: { A: { b: c } }"))
            .ShouldHaveOneError("spec.env.A").Message.ShouldContain("expected a text value");

    [Theory]
    [InlineData("health: { interval: 10 }", "spec.health.interval", "expected a duration like 30s, 5m or 1h, found '10'")]
    [InlineData("health: { timeout: fast }", "spec.health.timeout", "expected a duration like 30s, 5m or 1h, found 'fast'")]
    [InlineData("restart: { maxBackoff: 99999999999999d }", "spec.restart.maxBackoff", "expected a duration like 30s, 5m or 1h, found '99999999999999d'")]
    [InlineData("resources: { memory: 512MB }", "spec.resources.memory", "expected a size like 512Mi or 2Gi, found '512MB'")]
    [InlineData("resources: { memory: 9999999999999999999999999999Ti }", "spec.resources.memory", "expected a size like 512Mi or 2Gi, found '9999999999999999999999999999Ti'")]
    [InlineData("resources: { cpus: half }", "spec.resources.cpus", "expected cores like 0.5 or 2, or millicores like 500m, found 'half'")]
    [InlineData("volumes: [{ source: a, target: /a, readOnly: maybe }]", "spec.volumes[0].readOnly", "expected true or false, found 'maybe'")]
    [InlineData("volumes: [\"data\"]", "spec.volumes[0]", "expected 'source:/target' or 'source:/target:ro', or a mapping { source, target, readOnly }, found 'data'")]
    [InlineData("volumes: [\"a:/b:rx\"]", "spec.volumes[0]", "expected 'source:/target' or 'source:/target:ro', or a mapping { source, target, readOnly }, found 'a:/b:rx'")]
    [InlineData("volumes: [{ source: a }]", "spec.volumes[0].target", "required; expected an absolute path inside the container like /data")]
    [InlineData("health: { retries: 1.5 }", "spec.health.retries", "expected a whole number of at least 1, found '1.5'")]
    public void Read_BadValue_SaysWhatIsExpected(string line, string path, string message) =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", line)).ShouldHaveOneError(path).Message.ShouldBe(message);

    [Fact]
    public void Read_ValidationErrors_CarryLineOfTheField()
    {
        var set = SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "port: 0", "health:", "  path: health", "  timeout: 20s"));

        set.Errors.Select(e => (e.Path, e.Line)).ShouldBe([("spec.port", 7), ("spec.health.path", 9), ("spec.health.timeout", 10)]);
    }

    [Fact]
    public void Read_InvalidName_IsReportedAtName()
    {
        var error = SpecTestData.Read(SpecTestData.Agent("Echo_1", "image: local/echo:1")).ShouldHaveOneError("metadata.name");

        (error.Line, error.Column).ShouldBe((4, 9));
    }

    [Fact]
    public void Read_NoSource_IsReportedOnSpec()
    {
        var error = SpecTestData.Read(SpecTestData.Agent("echo", "port: 8080")).ShouldHaveOneError("spec");

        error.Message.ShouldContain("image, build or process");
        error.Line.ShouldBe(6);
    }

    [Fact]
    public void Read_FieldOfWrongType_DoesNotAlsoReportItsConsequences()
    {
        var set = SpecTestData.Read(SpecTestData.Agent("echo", "image: [local/echo:1]"));

        set.Errors.ShouldHaveSingleItem().Path.ShouldBe("spec.image");
    }

    [Fact]
    public void Read_SeveralProblems_ReportsAllAtOnce()
    {
        var set = SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "port: abc", "replica: 2", "health: { interval: x }", "replicas: 500"));

        set.Errors.Select(e => e.Path).ShouldBe(["spec.port", "spec.replica", "spec.health.interval", "spec.replicas"]);
        set.IsValid.ShouldBeFalse();
        set.Agents.ShouldBeEmpty();
    }

    [Fact]
    public void Read_MissingBuildContext_IsRequired() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "build: { dockerfile: Dockerfile.dev }")).ShouldHaveOneError("spec.build.context").Message.ShouldStartWith("required");

    [Fact]
    public void Read_MissingProcessCommand_IsRequired() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "process: { args: [x] }")).ShouldHaveOneError("spec.process.command").Message.ShouldStartWith("required");

    [Fact]
    public void Read_CommandOnProcess_PointsToProcessArgs() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "process: { command: sh }", "args: [x]")).ShouldHaveOneError("spec.args").Message.ShouldContain("process.args");
}
