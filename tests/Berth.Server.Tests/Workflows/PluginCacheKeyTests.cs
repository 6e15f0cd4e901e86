using System.Text.Json.Nodes;
using Berth.Core.Security;
using Berth.Server.Workflows.Caching;

namespace Berth.Server.Tests.Workflows;

/// <summary>Cache keys of plugin steps: what a deterministic plugin's outputs depend on, part by part, so a miss says what changed.</summary>
public sealed class PluginCacheKeyTests
{
    private const string Package = "sha256:0d1f";

    private readonly CacheKeyBuilder _builder = new(new SecretCipher(SecretKey.Generate()));

    [Fact]
    public void Plugin_SameInputs_SameKeyWithAPartPerInput()
    {
        var key = Key(Inputs("hello world"));

        key.Key.ShouldBe(Key(Inputs("hello world")).Key);
        key.Parts.Keys.ShouldBe(["input.options", "input.text", "kind", "package", "plugin", "version"]);
    }

    [Fact]
    public void Plugin_InputObjectMembersInAnotherOrder_SameKey()
    {
        var written = new JsonObject { ["options"] = new JsonObject { ["lower"] = true, ["limit"] = 3 } };
        var reordered = new JsonObject { ["options"] = new JsonObject { ["limit"] = 3, ["lower"] = true } };

        Key(reordered).Key.ShouldBe(Key(written).Key, "the same value written in another order is the same input");
    }

    [Fact]
    public void Plugin_OneInputChanges_OnlyThatInputDiffers()
    {
        var before = Key(Inputs("hello world"));
        var after = Key(Inputs("hello there"));

        after.Key.ShouldNotBe(before.Key);
        CacheMissExplainer.Differences(after.Parts, before.Parts).ShouldBe(["input.text changed"]);
    }

    [Fact]
    public void Plugin_InputAdded_NamedAsAdded()
    {
        var inputs = Inputs("x");
        inputs["language"] = "en";

        CacheMissExplainer.Differences(Key(inputs).Parts, Key(Inputs("x")).Parts).ShouldBe(["input.language added"]);
    }

    [Fact]
    public void Plugin_AnotherVersionOrPackage_KeyChanges()
    {
        var inputs = Inputs("x");
        var installed = Key(inputs);

        CacheMissExplainer.Differences(_builder.Plugin("text-analysis", "1.1.0", Package, null, inputs).Parts, installed.Parts).ShouldBe(["version changed"]);
        CacheMissExplainer.Differences(_builder.Plugin("text-analysis", "1.0.0", "sha256:beef", null, inputs).Parts, installed.Parts)
            .ShouldBe(["package changed"], "a version removed and installed again from another package may answer differently");
        _builder.Plugin("word-count", "1.0.0", Package, null, inputs).Key.ShouldNotBe(installed.Key);
    }

    [Fact]
    public void Plugin_ImageIdChanges_ImagePartDiffers()
    {
        var inputs = Inputs("x");
        var before = _builder.Plugin("text-analysis", "1.0.0", Package, "sha256:aaa", inputs);
        var after = _builder.Plugin("text-analysis", "1.0.0", Package, "sha256:bbb", inputs);

        CacheMissExplainer.Differences(after.Parts, before.Parts).ShouldBe(["image changed"], "a tag that moved runs other code");
    }

    [Fact]
    public void PluginCapability_SameInputsAsAPluginById_AnotherKeyNamingTheCapability()
    {
        var inputs = Inputs("x");
        var byCapability = _builder.PluginCapability("count-words", inputs);

        byCapability.Key.ShouldNotBe(Key(inputs).Key);
        byCapability.Key.ShouldNotBe(_builder.Capability("count-words", "POST", "/execute", new Dictionary<string, string>(), inputs.ToJsonString()).Key);
        byCapability.Key.ShouldBe(_builder.PluginCapability("count-words", Inputs("x")).Key);
        byCapability.Parts.Keys.ShouldBe(["capability", "input.options", "input.text", "kind"]);
    }

    [Fact]
    public void Plugin_InputValue_PartsNeverHoldThePlainValue()
    {
        const string canary = "pl41n-canary-value";

        Key(Inputs(canary)).Parts.Values.ShouldAllBe(v => !v.Contains(canary, StringComparison.Ordinal));
    }

    private StepCacheKey Key(JsonObject inputs) => _builder.Plugin("text-analysis", "1.0.0", Package, null, inputs);

    private static JsonObject Inputs(string text) => new() { ["text"] = text, ["options"] = new JsonObject { ["lower"] = true } };
}
