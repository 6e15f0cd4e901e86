using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class SpecReaderSubstitutionTests
{
    private static AgentSpec ReadEnv(string value, SpecReadOptions options) =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", $"env: {{ V: {value} }}"), options).ShouldBeSingleValidAgent();

    [Fact]
    public void Read_Variable_IsSubstituted()
    {
        var agent = SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:${TAG}", "port: ${PORT}"), SpecTestData.WithEnvironment(("TAG", "7"), ("PORT", "9001")))
            .ShouldBeSingleValidAgent();

        agent.Image.ShouldBe("local/echo:7");
        agent.Port.ShouldBe(9001);
    }

    [Fact]
    public void Read_DefaultEnvironment_ReadsProcessEnvironment()
    {
        var variable = "BERTH_TEST_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, "from-process");
        try
        {
            SpecReader.Read(SpecTestData.Agent("echo", "image: local/echo:1", $"env: {{ V: ${{{variable}}} }}"))
                .ShouldBeSingleValidAgent().Env["V"].ShouldBe("from-process");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("${V:-fallback}", "fallback")]
    [InlineData("\"${V:-a b c}\"", "a b c")]
    [InlineData("${V:-}", "")]
    [InlineData("x${V:-1}y${V:-2}", "x1y2")]
    public void Read_UnsetVariableWithDefault_UsesDefault(string value, string expected) =>
        ReadEnv(value, SpecTestData.NoEnvironment).Env["V"].ShouldBe(expected);

    [Fact]
    public void Read_EmptyVariableWithDefault_UsesDefault() =>
        ReadEnv("${V:-fallback}", SpecTestData.WithEnvironment(("V", ""))).Env["V"].ShouldBe("fallback");

    [Fact]
    public void Read_SetVariableWithDefault_UsesValue() =>
        ReadEnv("${V:-fallback}", SpecTestData.WithEnvironment(("V", "set"))).Env["V"].ShouldBe("set");

    [Fact]
    public void Read_EscapedReference_IsLiteral() =>
        ReadEnv("\"$${HOME} costs $5 and $$ stays\"", SpecTestData.NoEnvironment).Env["V"].ShouldBe("${HOME} costs $5 and $$ stays");

    [Fact]
    public void Read_SecretReference_IsKeptUntouched()
    {
        var agent = ReadEnv("\"Bearer ${secret:openai.key-2}\"", SpecTestData.WithEnvironment(("secret", "x")));

        agent.Env["V"].ShouldBe("Bearer ${secret:openai.key-2}");
        SecretReference.FindAll(agent).ShouldBe(["openai.key-2"]);
    }

    [Fact]
    public void Read_WorkflowExpressionAndKubernetesSyntax_AreKeptUntouched()
    {
        var agent = SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "args: [\"${{ inputs.text }}\", \"--port=$(PORT)\", \"$HOME\"]"), SpecTestData.NoEnvironment)
            .ShouldBeSingleValidAgent();

        agent.Args.ShouldBe(["${{ inputs.text }}", "--port=$(PORT)", "$HOME"]);
    }

    [Fact]
    public void Read_UnsetVariable_ReportsReferenceLineAndColumn()
    {
        var text = SpecTestData.Agent("echo", "image: local/echo:1", "env:", "  KEY: ${API_KEY}");

        var set = SpecTestData.Read(text, SpecTestData.NoEnvironment with { SourceName = "echo.yaml" });

        var error = set.Errors.ShouldHaveSingleItem();
        error.ToString().ShouldBe("echo.yaml (line 8, column 10): ${API_KEY} is not set; export it or write ${API_KEY:-default}");
        set.Agents.ShouldBeEmpty();
    }

    [Fact]
    public void Read_UnsetVariables_AreAllReported() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:${TAG}", "env: { A: \"${A}\", B: \"${B}\" }"))
            .Errors.Select(e => (e.Line, e.Column)).ShouldBe([(6, 21), (7, 14), (7, 25)]);

    [Fact]
    public void Read_InvalidSecretName_IsAnError() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "env: { K: \"${secret:bad name}\" }"))
            .Errors.ShouldHaveSingleItem().Message.ShouldContain("not a valid secret reference");

    [Theory]
    [InlineData("${foo bar}")]
    [InlineData("${1ABC}")]
    [InlineData("${V-default}")]
    public void Read_InvalidReference_IsAnError(string reference) =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", $"env: {{ K: \"{reference}\" }}"))
            .Errors.ShouldHaveSingleItem().Message.ShouldContain("expected ${NAME} or ${NAME:-default}");

    [Fact]
    public void Read_UnterminatedReference_IsAnError()
    {
        var error = SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "env:", "  K: \"${OPEN\"")).Errors.ShouldHaveSingleItem();

        error.Message.ShouldContain("unterminated");
        (error.Line, error.Column).ShouldBe((8, 9));
    }

    [Fact]
    public void Read_UnsetVariable_DoesNotAlsoReportItsConsequences()
    {
        var set = SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "port: ${PORT}", "replicas: x"));

        set.Errors.Select(e => e.Line).ShouldBe([7, 8]);
        set.Errors[0].Message.ShouldContain("${PORT} is not set");
        set.Errors[1].Path.ShouldBe("spec.replicas");
    }

    [Fact]
    public void Read_ValueWithLineBreak_IsAnError() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "env: { K: \"${V}\" }"), SpecTestData.WithEnvironment(("V", "a\nb")))
            .Errors.ShouldHaveSingleItem().Message.ShouldContain("line break");

    [Fact]
    public void Read_ReferenceInCommentLine_IsIgnored() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "# image: ${UNSET_IMAGE}"))
            .ShouldBeSingleValidAgent();

    [Fact]
    public void Read_SubstitutionChangesLength_ColumnsPointIntoOriginalText()
    {
        var line = "env: { A: ${LONG}, B: [x] }";
        var text = SpecTestData.Agent("echo", "image: local/echo:1", line);

        var error = SpecTestData.Read(text, SpecTestData.WithEnvironment(("LONG", new string('v', 40)))).ShouldHaveOneError("spec.env.B");

        error.Line.ShouldBe(7);
        error.Column.ShouldBe(2 + line.IndexOf('[', StringComparison.Ordinal) + 1);
    }

    [Fact]
    public void Read_ErrorInsideSubstitutedValue_PointsAtReference()
    {
        var error = SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "port: ${P}"), SpecTestData.WithEnvironment(("P", "eighty")))
            .ShouldHaveOneError("spec.port");

        (error.Line, error.Column).ShouldBe((7, 9));
        error.Message.ShouldContain("'eighty'");
    }
}
