using System.Text;
using Berth.Server.Secrets;

namespace Berth.Server.Tests.Secrets;

public sealed class SecretRedactorTests
{
    private readonly SecretRedactor _redactor = new();

    [Fact]
    public void Redact_KnownValue_ReplacedByItsName()
    {
        _redactor.Remember("openai", "sk-abc123"u8);

        _redactor.Redact("calling with key sk-abc123 and again sk-abc123.").ShouldBe("calling with key [redacted:openai] and again [redacted:openai].");
    }

    [Fact]
    public void Redact_ValueContainingAnother_ReplacesTheLongerWhole()
    {
        _redactor.Remember("short", "token"u8);
        _redactor.Remember("long", "token-extended"u8);

        _redactor.Redact("a token-extended b token").ShouldBe("a [redacted:long] b [redacted:short]");
    }

    [Fact]
    public void Redact_ValuesShorterThanFourCharacters_AreLeftAlone()
    {
        _redactor.Remember("pin", "123"u8);

        _redactor.IsEmpty.ShouldBeTrue();
        _redactor.Redact("exit code 123").ShouldBe("exit code 123");
    }

    [Fact]
    public void Reset_ForgetsEarlierValues_AndLearnsTheGivenOnes()
    {
        _redactor.Remember("old", "old-value"u8);

        _redactor.Reset([KeyValuePair.Create("new", Encoding.UTF8.GetBytes("new-value"))]);

        _redactor.Redact("old-value new-value").ShouldBe("old-value [redacted:new]");
    }

    [Fact]
    public void Remember_ReplacedValue_BothOldAndNewStayRedacted()
    {
        _redactor.Remember("key", "first-value"u8);
        _redactor.Remember("key", "second-value"u8);

        _redactor.Redact("first-value second-value").ShouldBe("[redacted:key] [redacted:key]");
    }

    [Fact]
    public void Redact_NullOrNothingKnown_ReturnsInput()
    {
        _redactor.Redact(null).ShouldBeNull();
        _redactor.Redact("plain").ShouldBe("plain");
    }
}
