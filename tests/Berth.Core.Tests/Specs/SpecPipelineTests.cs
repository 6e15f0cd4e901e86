using System.Text.Json.Nodes;
using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

/// <summary>The one path every spec takes (YAML or JSON text, a JSON tree, the record's contract, its validator) and what it promises users.</summary>
public sealed class SpecPipelineTests
{
    private static readonly SpecReadOptions Server = new() { Environment = null, SourceName = "body" };

    [Theory]
    [InlineData("on")]
    [InlineData("yes")]
    [InlineData("no")]
    [InlineData("off")]
    [InlineData("y")]
    public void Read_YamlOneOneBooleans_StayText(string word) =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", $"env: {{ FLAG: {word} }}"))
            .ShouldBeSingleValidAgent().Env["FLAG"].ShouldBe(word);

    [Fact]
    public void Read_YesForABoolean_IsAnErrorNotTrue() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "persistence: { enabled: yes }"))
            .ShouldHaveOneError("spec.persistence.enabled").Message.ShouldBe("expected true or false, found 'yes'");

    [Theory]
    [InlineData("01234")]
    [InlineData("1.10")]
    [InlineData("+5")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    public void Read_NumbersWhereTextGoes_KeepTheirSpelling(string written) =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", $"env: {{ VALUE: {written} }}", $"args: [{written}]"))
            .ShouldBeSingleValidAgent().Env["VALUE"].ShouldBe(written);

    [Fact]
    public void Read_NumericKeys_AreText() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "env: { 1: one }"))
            .ShouldHaveOneError("spec.env['1']").Message.ShouldContain("not a valid variable name", Case.Insensitive);

    [Fact]
    public void Read_OnServer_VariableIsAnErrorSayingWhereToSubstitute()
    {
        var error = SpecReader.Read(SpecTestData.Agent("echo", "image: ${IMAGE}"), Server).ShouldHaveOneError("body");

        error.Message.ShouldContain("the server never reads its own environment; substitute it on the client");
        (error.Line, error.Column).ShouldBe((6, 10));
    }

    [Fact]
    public void Read_OnServer_EscapedVariableIsLiteral() =>
        SpecReader.Read(SpecTestData.Agent("echo", "image: local/echo:1", "env: { A: \"$${HOME}\", B: \"${secret:key}\", C: \"${{ inputs.x }}\" }"), Server)
            .ShouldBeSingleValidAgent().Env.ShouldBe(new Dictionary<string, string> { ["A"] = "${HOME}", ["B"] = "${secret:key}", ["C"] = "${{ inputs.x }}" });

    [Fact]
    public void Read_OnServer_RelativeBuildContextIsRefused() =>
        SpecReader.Read(SpecTestData.Agent("echo", "build: { context: ./app }"), Server)
            .ShouldHaveOneError("spec.build.context").Message.ShouldContain("is not an absolute directory");

    [Fact]
    public void Read_JsonDocument_GivesTheYamlErrorsWithPositions()
    {
        var json = """
            {"apiVersion": "berth/v1", "kind": "Agent", "metadata": {"name": "echo"},
             "spec": {"image": "local/echo:1", "replica": 2,
                      "health": {"interval": "soon"}}}
            """;
        var yaml = SpecTestData.Agent("echo", "image: local/echo:1", "replica: 2", "health: { interval: soon }");

        var fromJson = SpecReader.Read(json, Server).Errors;
        var fromYaml = SpecReader.Read(yaml, Server).Errors;

        fromJson.Select(e => (e.Path, e.Message)).ShouldBe(fromYaml.Select(e => (e.Path, e.Message)));
        fromJson.Select(e => e.Line).ShouldBe([2, 3]);
        fromJson.ShouldAllBe(e => e.Column > 0);
    }

    [Fact]
    public void Read_JsonNullMember_KeepsTheDefault()
    {
        var agent = SpecReader.Read("""{"apiVersion":"berth/v1","kind":"Agent","metadata":{"name":"e"},"spec":{"image":"local/echo:1","health":null,"args":null,"env":{"A":null}}}""", Server)
            .ShouldBeSingleValidAgent();

        agent.Health.ShouldBe(new HealthSpec());
        agent.Args.ShouldBeEmpty();
        agent.Env["A"].ShouldBe(string.Empty);
    }

    [Fact]
    public void Read_NameInsideSpec_SaysWhereItGoes() =>
        SpecReader.Read(SpecTestData.Agent("echo", "image: local/echo:1", "name: other"), Server)
            .ShouldHaveOneError("spec.name").Message.ShouldBe("unknown field; the name goes in metadata.name");

    [Fact]
    public void ToDocument_LiteralDollarBrace_ReadsBackOnTheServerUnchanged()
    {
        var spec = SpecTestData.ValidContainer("echo") with
        {
            Env = new Dictionary<string, string> { ["SHELL_LINE"] = "echo ${HOME} $${X}", ["KEY"] = "${secret:api}" },
            Args = ["-c", "echo ${USER}"],
        };

        var document = SpecDocuments.ToDocument(spec);
        var back = SpecReader.Read(document.ToJsonString(), Server).ShouldBeSingleValidAgent();
        var fromYaml = SpecReader.Read(SpecWriter.ToYaml(spec), Server).ShouldBeSingleValidAgent();

        back.Env.ShouldBe(spec.Env);
        back.Args.ShouldBe(spec.Args);
        fromYaml.Env.ShouldBe(spec.Env);
        document["spec"]!["env"]!["SHELL_LINE"]!.GetValue<string>().ShouldBe("echo $${HOME} $$${X}");
    }

    [Fact]
    public void ToDocument_HasTheEnvelopeAndNoNameInTheSpec()
    {
        var document = SpecDocuments.ToDocument(SpecTestData.ValidContainer("echo"));

        JsonNode.DeepEquals(document, JsonNode.Parse("""{"apiVersion":"berth/v1","kind":"Agent","metadata":{"name":"echo"},"spec":{"image":"local/echo:1"}}""")).ShouldBeTrue(document.ToJsonString());
    }

    [Fact]
    public void Read_HugeBadValue_IsQuotedInPart()
    {
        var message = SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", $"port: {new string('x', 100_000)}")).ShouldHaveOneError("spec.port").Message;

        message.Length.ShouldBeLessThan(200);
        message.ShouldEndWith("(100000 characters)");
    }
}
