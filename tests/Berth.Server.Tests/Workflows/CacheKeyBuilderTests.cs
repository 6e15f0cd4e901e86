using System.Text;
using Berth.Core.Security;
using Berth.Server.Workflows.Caching;

namespace Berth.Server.Tests.Workflows;

public sealed class CacheKeyBuilderTests
{
    private static readonly SecretKey ServerKey = SecretKey.Generate();

    private readonly CacheKeyBuilder _builder = new(new SecretCipher(ServerKey));

    [Fact]
    public void Capability_SameCallAsAnAgentOfThatName_AnotherKeyNamingTheCapability()
    {
        var headers = new Dictionary<string, string>();
        var byCapability = _builder.Capability("summarize", "POST", "/s", headers, "{}");
        var byAgent = _builder.Agent("summarize", "POST", "/s", headers, "{}");

        byCapability.Key.ShouldNotBe(byAgent.Key, "a cached answer of agent 'summarize' is not an answer of whichever agent provides summarize");
        byCapability.Key.ShouldBe(_builder.Capability("summarize", "POST", "/s", headers, "{}").Key);
        byCapability.Parts.Keys.ShouldContain("capability");
        _builder.Capability("summarize", "POST", "/s", headers, "{\"x\":1}").Key.ShouldNotBe(byCapability.Key);
    }

    [Fact]
    public void Container_SameInputs_SameKey()
    {
        Build("hello").Key.ShouldBe(Build("hello").Key);
    }

    [Fact]
    public void Container_InputFileContentChanges_KeyChangesAndOnlyThatPartDiffers()
    {
        var before = Build("hello");
        var after = Build("hello, world");

        after.Key.ShouldNotBe(before.Key);
        CacheMissExplainer.Differences(after.Parts, before.Parts).ShouldBe(["file:/in/text.txt changed"]);
    }

    [Fact]
    public void Container_ImageIdChanges_ImagePartDiffers()
    {
        var before = Build("x", image: "sha256:aaa");
        var after = Build("x", image: "sha256:bbb");

        CacheMissExplainer.Differences(after.Parts, before.Parts).ShouldBe(["image changed"]);
    }

    [Fact]
    public void Container_SecretValueInEnv_PartsNeverHoldThePlainValueOrItsPlainHash()
    {
        const string secret = "s3cr3t-canary-value";
        var key = _builder.Container("sha256:img", [], ["sh"], new Dictionary<string, string> { ["TOKEN"] = secret }, null, new Dictionary<string, byte[]>(), []);

        var plainHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        key.Parts.Values.ShouldNotContain(plainHash);
        key.Parts.Values.ShouldAllBe(v => !v.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public void Container_AnotherServerKey_AnotherKey()
    {
        var other = new CacheKeyBuilder(new SecretCipher(SecretKey.Generate()));

        other.Container("sha256:img", [], [], new Dictionary<string, string>(), null, new Dictionary<string, byte[]>(), []).Key
            .ShouldNotBe(_builder.Container("sha256:img", [], [], new Dictionary<string, string>(), null, new Dictionary<string, byte[]>(), []).Key);
    }

    [Fact]
    public void Container_EnvAddedAndRemoved_NamedAsSuch()
    {
        var before = _builder.Container("i", [], [], new Dictionary<string, string> { ["OLD"] = "1" }, null, new Dictionary<string, byte[]>(), []);
        var after = _builder.Container("i", [], [], new Dictionary<string, string> { ["NEW"] = "1" }, null, new Dictionary<string, byte[]>(), []);

        CacheMissExplainer.Differences(after.Parts, before.Parts).ShouldBe(["env.NEW added", "env.OLD removed"]);
    }

    private StepCacheKey Build(string text, string image = "sha256:img") => _builder.Container(
        image,
        [],
        ["sh", "-c", "wc -w < /in/text.txt"],
        new Dictionary<string, string> { ["MODE"] = "fast" },
        "/work",
        new Dictionary<string, byte[]> { ["/in/text.txt"] = Encoding.UTF8.GetBytes(text) },
        ["/out"]);
}
