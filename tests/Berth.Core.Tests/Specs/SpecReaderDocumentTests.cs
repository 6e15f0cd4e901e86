using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class SpecReaderDocumentTests
{
    [Fact]
    public void Read_SeveralDocuments_ReadsEachAgentInOrder()
    {
        var text = SpecTestData.Agent("one", "image: local/one:1") + "---\n" + SpecTestData.Agent("two", "image: local/two:1");

        var set = SpecTestData.Read(text);

        set.Errors.ShouldBeEmpty();
        set.Agents.Select(a => a.Name).ShouldBe(["one", "two"]);
    }

    [Fact]
    public void Read_EmptyDocuments_AreSkipped()
    {
        var text = "---\n# nothing here\n---\n" + SpecTestData.Agent("one", "image: local/one:1") + "---\n---\n";

        SpecTestData.Read(text).ShouldBeSingleValidAgent().Name.ShouldBe("one");
    }

    [Fact]
    public void Read_ErrorsInSeveralDocuments_ArePrefixedByAgentOrDocumentNumber()
    {
        var text = SpecTestData.Agent("one", "image: local/one:1", "port: abc")
            + "---\n"
            + SpecTestData.Agent("two", "image: local/two:1")
            + "---\n"
            + "apiVersion: berth/v1\nkind: Agent\nspec:\n  image: local/three:1\n  replicas: x\n";

        var set = SpecTestData.Read(text);

        set.Errors.Select(e => e.ToString()).ShouldBe(
        [
            "agents/one: spec.port (line 7, column 9): expected a port from 1 to 65535, found 'abc'",
            "document 3: metadata.name (line 16, column 1): required; expected metadata: { name: ... } with " + SpecNamesHint,
            "document 3: spec.replicas (line 20, column 13): expected a number of instances from 0 to 100, found 'x'",
        ]);
        set.Agents.Select(a => a.Name).ShouldBe(["two"]);
    }

    [Fact]
    public void Read_DuplicateNames_IsAnErrorOnTheSecond()
    {
        var text = SpecTestData.Agent("echo", "image: local/one:1") + "---\n" + SpecTestData.Agent("echo", "image: local/two:1");

        var set = SpecTestData.Read(text);

        var error = set.ShouldHaveOneError("agents/echo: metadata.name");
        error.Message.ShouldContain("duplicate agent name 'echo'");
        error.Message.ShouldContain("document 1 (line 4)");
        error.Line.ShouldBe(11);
        set.Agents.ShouldHaveSingleItem().Image.ShouldBe("local/one:1");
    }

    [Fact]
    public void Read_SyntaxError_ReportsLineAndColumn()
    {
        var set = SpecTestData.Read("apiVersion: berth/v1\nkind: Agent\nmetadata:\n  name: echo\nspec:\n  image: local/echo:1\n  env: { A: [ }\n", SpecTestData.NoEnvironment with { SourceName = "echo.yaml" });

        var error = set.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe("echo.yaml");
        error.Message.ShouldStartWith("invalid YAML: ");
        error.Line.ShouldBe(7);
        error.Column.ShouldNotBeNull().ShouldBeGreaterThan(1);
        set.Agents.ShouldBeEmpty();
    }

    [Fact]
    public void Read_SyntaxErrorInLaterDocument_StillReportsEarlierDocuments()
    {
        var text = SpecTestData.Agent("one", "image: local/one:1", "port: abc") + "---\nkind: Agent\nmetadata: { name: [ }\n";

        var set = SpecTestData.Read(text);

        set.Errors.Select(e => e.Path).ShouldBe(["agents/one: spec.port", "input"]);
        set.Errors[1].Line.ShouldBe(10);
    }

    [Fact]
    public void Read_DuplicateKey_IsReportedWithLine()
    {
        var error = SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", "port: 1", "port: 2")).Errors.ShouldHaveSingleItem();

        error.Message.ShouldContain("Duplicate key");
        error.Line.ShouldBe(8);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# just a comment\n")]
    [InlineData("---\n---\n")]
    public void Read_NoDocuments_IsAnError(string text) =>
        SpecTestData.Read(text).Errors.ShouldHaveSingleItem().Message.ShouldStartWith("no documents found");

    [Fact]
    public void Read_DocumentNotAMapping_IsAnError() =>
        SpecTestData.Read("- a\n- b\n").ShouldHaveOneError("document").Message.ShouldContain("apiVersion, kind, metadata and spec");

    [Fact]
    public void Read_UnknownKind_NamesSupportedKinds()
    {
        var set = SpecTestData.Read("apiVersion: berth/v1\nkind: Gadget\nmetadata: { name: flow }\nspec: { steps: [] }\n");

        var error = set.ShouldHaveOneError("kind");
        error.Message.ShouldBe("unsupported kind 'Gadget'; supported kinds: Agent, Workflow, Plugin, Topic, Subscription, ModelEndpoint");
        (error.Line, error.Column).ShouldBe((2, 7));
        set.Agents.ShouldBeEmpty();
    }

    [Fact]
    public void Read_LowercaseKind_SuggestsAgent() =>
        SpecTestData.Read("apiVersion: berth/v1\nkind: agent\nmetadata: { name: echo }\nspec: { image: local/echo:1 }\n")
            .ShouldHaveOneError("kind").Message.ShouldEndWith("did you mean 'Agent'?");

    [Fact]
    public void Read_MissingKind_IsRequired() =>
        SpecTestData.Read("apiVersion: berth/v1\nmetadata: { name: echo }\nspec: { image: local/echo:1 }\n")
            .ShouldHaveOneError("kind").Message.ShouldBe("required; supported kinds: Agent, Workflow, Plugin, Topic, Subscription, ModelEndpoint");

    [Theory]
    [InlineData("apiVersion: v1\n", "unsupported apiVersion 'v1'; expected berth/v1")]
    [InlineData("apiVersion: berth/v2\n", "unsupported apiVersion 'berth/v2'; expected berth/v1")]
    [InlineData("", "required; expected berth/v1")]
    public void Read_WrongApiVersion_IsAnError(string apiVersionLine, string message) =>
        SpecTestData.Read(apiVersionLine + "kind: Agent\nmetadata: { name: echo }\nspec: { image: local/echo:1 }\n")
            .ShouldHaveOneError("apiVersion").Message.ShouldBe(message);

    [Fact]
    public void Read_MissingSpec_IsRequired() =>
        SpecTestData.Read("apiVersion: berth/v1\nkind: Agent\nmetadata: { name: echo }\n").ShouldHaveOneError("spec").Message.ShouldStartWith("required");

    [Fact]
    public void Read_EmptySpec_IsAnError() =>
        SpecTestData.Read("apiVersion: berth/v1\nkind: Agent\nmetadata: { name: echo }\nspec:\n").ShouldHaveOneError("spec").Message.ShouldContain("found nothing");

    [Fact]
    public void Read_MetadataNotAMapping_IsTypeError() =>
        SpecTestData.Read("apiVersion: berth/v1\nkind: Agent\nmetadata: echo\nspec: { image: local/echo:1 }\n")
            .ShouldHaveOneError("metadata").Message.ShouldBe("expected a mapping like { name: echo }, found 'echo'");

    private const string SpecNamesHint = "a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
}
