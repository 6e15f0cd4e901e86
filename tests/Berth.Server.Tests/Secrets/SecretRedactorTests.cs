using System.Text;
using System.Text.Json.Nodes;
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

    [Fact]
    public void Redact_EveryEncodedFormOfAValueWithPlusAndQuote_Redacted()
    {
        const string value = "k3y+\"x/y=\u00e9 z";
        _redactor.Remember("api", Encoding.UTF8.GetBytes(value));

        foreach (var form in SecretForms.Of(value))
        {
            _redactor.Redact($"a {form} b").ShouldBe("a [redacted:api] b", $"form {form}");
        }
    }

    [Fact]
    public void Redact_MixedEscapesInOneValue_Redacted()
    {
        _redactor.Remember("api", "ab+c\"d"u8);

        _redactor.Redact("{\"k\":\"x\\u0061b\\u002bc\\u0022d\"}").ShouldBe("{\"k\":\"x[redacted:api]\"}");
        _redactor.Redact("q=%61b%2Bc%22d&r=1").ShouldBe("q=[redacted:api]&r=1");
    }

    [Fact]
    public void Redact_ParsedJson_StringValuesAndNamesHoldingTheValueRedacted()
    {
        _redactor.Remember("api", "ab+c\"d"u8);
        var node = JsonNode.Parse("{\"ab\\u002Bc\\\"d\": 1, \"list\": [\"x ab+c\\\"d\", 2, {\"k\": \"ab\\u002bc\\u0022d\"}], \"n\": null}");

        var redacted = _redactor.Redact(node)!.ToJsonString();

        redacted.ShouldBe("{\"[redacted:api]\":1,\"list\":[\"x [redacted:api]\",2,{\"k\":\"[redacted:api]\"}],\"n\":null}");
        _redactor.Redact(JsonValue.Create("ab+c\"d"))!.GetValue<string>().ShouldBe("[redacted:api]");
    }

    [Fact]
    public void Redact_NameWithDollar_IsNotASubstitution()
    {
        _redactor.Remember("a$0b", "value-1"u8);

        _redactor.Redact("x value-1").ShouldBe("x [redacted:a$0b]");
    }
}
