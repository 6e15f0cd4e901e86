using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class SecuritySpecReaderTests
{
    private static SpecSet ReadSecurity(string security) =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "security: " + security));

    [Fact]
    public void Read_SecurityBlock_ReadsEveryField()
    {
        var agent = ReadSecurity("{ capabilities: { add: [NET_BIND_SERVICE, cap_chown] }, readOnlyRootFilesystem: true, runAsUser: 1000:1000 }")
            .ShouldBeSingleValidAgent();

        var security = agent.Security.ShouldNotBeNull();
        security.Capabilities.ShouldNotBeNull().Add.ShouldBe(["NET_BIND_SERVICE", "cap_chown"], "kept as written; the docker driver normalises");
        security.ReadOnlyRootFilesystem.ShouldBeTrue();
        security.RunAsUser.ShouldBe("1000:1000");
    }

    [Fact]
    public void Read_NumericUser_IsKeptAsText() =>
        ReadSecurity("{ runAsUser: 1000 }").ShouldBeSingleValidAgent().Security!.RunAsUser.ShouldBe("1000");

    [Fact]
    public void Read_NoSecurityBlock_LeavesDefaults() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1")).ShouldBeSingleValidAgent().Security.ShouldBeNull();

    [Theory]
    [InlineData("{ readOnlyRootFileSystem: true }", "spec.security.readOnlyRootFileSystem", "unknown field; did you mean 'readOnlyRootFilesystem'?")]
    [InlineData("{ runAsUsr: \"1000\" }", "spec.security.runAsUsr", "unknown field; did you mean 'runAsUser'?")]
    [InlineData("{ capabilities: { ad: [CHOWN] } }", "spec.security.capabilities.ad", "unknown field; did you mean 'add'?")]
    [InlineData("{ capabilities: [CHOWN] }", "spec.security.capabilities", "expected a mapping with add, found a list")]
    [InlineData("{ readOnlyRootFilesystem: maybe }", "spec.security.readOnlyRootFilesystem", "expected true or false, found 'maybe'")]
    [InlineData("[x]", "spec.security", "expected a mapping with capabilities, readOnlyRootFilesystem, runAsUser, found a list")]
    public void Read_BadSecurityField_ReportsPathAndWhatIsExpected(string security, string path, string message) =>
        ReadSecurity(security).ShouldHaveOneError(path).Message.ShouldBe(message);

    [Fact]
    public void Read_MisspeltSecurityField_ReportsLineAndColumn()
    {
        var text = SpecTestData.Agent("echo", "image: local/echo:1", "security:", "  readOnly: true");

        var error = SpecTestData.Read(text).ShouldHaveOneError("spec.security.readOnly");

        error.Line.ShouldBe(8);
        error.Column.ShouldBe(5);
    }

    [Fact]
    public void Read_UnknownCapability_QuotesWhatWasWrittenAndSuggests()
    {
        var text = SpecTestData.Agent("echo", "image: local/echo:1", "security:", "  capabilities:", "    add: [NET_BIND_SERVCE]");

        var error = SpecTestData.Read(text).ShouldHaveOneError("spec.security.capabilities.add[0]");

        error.Message.ShouldBe("'NET_BIND_SERVCE' is not a Linux capability; did you mean 'NET_BIND_SERVICE'?");
        error.Line.ShouldBe(9);
    }

    [Fact]
    public void Read_SecurityOnProcessAgent_SaysContainersOnly() =>
        SpecTestData.Read(SpecTestData.Agent("p", "process: { command: sh }", "security: { readOnlyRootFilesystem: true }"))
            .ShouldHaveOneError("spec.security").Message.ShouldContain("only container agents take security");

    [Fact]
    public void Serialize_Security_UsesCamelCaseAndRoundTrips()
    {
        var spec = SpecTestData.ValidContainer() with
        {
            Security = new SecuritySpec { Capabilities = new CapabilitySpec { Add = ["NET_RAW"] }, ReadOnlyRootFilesystem = true, RunAsUser = "1000" },
        };

        var json = JsonSerializer.Serialize(spec, BerthJson.Options);
        var back = JsonSerializer.Deserialize<AgentSpec>(json, BerthJson.Options)!;

        json.ShouldContain("\"security\":{\"capabilities\":{\"add\":[\"NET_RAW\"]},\"readOnlyRootFilesystem\":true,\"runAsUser\":\"1000\"}");
        back.Security!.Capabilities!.Add.ShouldBe(["NET_RAW"]);
        back.Security.ReadOnlyRootFilesystem.ShouldBeTrue();
        back.Security.RunAsUser.ShouldBe("1000");
        JsonSerializer.Serialize(SpecTestData.ValidContainer("echo"), BerthJson.Options).ShouldNotContain("security");
    }

    [Fact]
    public void Deserialize_UnknownSecurityMember_IsRejected() =>
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<SecuritySpec>("{\"privileged\":true}", BerthJson.Options));

    [Theory]
    [InlineData("{ capabilities: { add: [NET_BIND_SERVICE] }, readOnlyRootFilesystem: true, runAsUser: \"1000\" }")]
    [InlineData("{ runAsUser: \"1000\" }")]
    [InlineData("{ readOnlyRootFilesystem: true }")]
    [InlineData("{ capabilities: { add: [] } }")]
    [InlineData("{}")]
    public void ToYaml_ThenRead_KeepsSecurity(string security)
    {
        var spec = ReadSecurity(security).ShouldBeSingleValidAgent();

        var yaml = SpecWriter.ToYaml(spec);
        var back = SpecTestData.Read(yaml).ShouldBeSingleValidAgent();

        yaml.ShouldContain("\n  security:");
        JsonSerializer.Serialize(back, BerthJson.Options).ShouldBe(JsonSerializer.Serialize(spec, BerthJson.Options));
    }

    [Fact]
    public void ToYaml_Security_WritesABlockWithTheUserQuoted()
    {
        var spec = SpecTestData.ValidContainer("echo") with
        {
            Security = new SecuritySpec { Capabilities = new CapabilitySpec { Add = ["NET_BIND_SERVICE"] }, ReadOnlyRootFilesystem = true, RunAsUser = "1000" },
        };

        SpecWriter.ToYaml(spec).ShouldContain("\n  security:\n    capabilities:\n      add: [NET_BIND_SERVICE]\n    readOnlyRootFilesystem: true\n    runAsUser: \"1000\"\n");
    }
}
