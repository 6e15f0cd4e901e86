using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class PersistenceSpecTests
{
    private static SpecSet ReadPersistence(params string[] persistenceLines) =>
        SpecTestData.Read(SpecTestData.Agent(SpecTestData.UniqueName(), ["image: local/echo:1", .. persistenceLines]));

    private static IReadOnlyList<SpecError> Validate(PersistenceSpec persistence) =>
        AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Persistence = persistence });

    [Fact]
    public void Read_NoPersistenceBlock_GivesDefaults()
    {
        var persistence = ReadPersistence().ShouldBeSingleValidAgent().Persistence;

        persistence.Enabled.ShouldBeTrue();
        persistence.MaxAttempts.ShouldBe(5);
        persistence.Backoff.ShouldBe(TimeSpan.FromSeconds(1));
        persistence.MaxBackoff.ShouldBe(TimeSpan.FromMinutes(1));
        persistence.RequestTimeout.ShouldBe(TimeSpan.FromSeconds(60));
        persistence.RetentionPeriod.ShouldBe(TimeSpan.FromDays(7));
    }

    [Fact]
    public void Read_NullPersistenceBlock_GivesDefaults() =>
        ReadPersistence("persistence:").ShouldBeSingleValidAgent().Persistence.ShouldBe(new PersistenceSpec());

    [Fact]
    public void Read_EnabledFalse_DisablesAndKeepsOtherDefaults() =>
        ReadPersistence("persistence: { enabled: false }").ShouldBeSingleValidAgent().Persistence
            .ShouldBe(new PersistenceSpec { Enabled = false });

    [Fact]
    public void Read_EveryField_IsRead()
    {
        var persistence = ReadPersistence("persistence: { maxAttempts: 3, backoff: 500ms, maxBackoff: 30s, requestTimeout: 2m, retentionPeriod: 14d }")
            .ShouldBeSingleValidAgent().Persistence;

        persistence.ShouldBe(new PersistenceSpec
        {
            Enabled = true,
            MaxAttempts = 3,
            Backoff = TimeSpan.FromMilliseconds(500),
            MaxBackoff = TimeSpan.FromSeconds(30),
            RequestTimeout = TimeSpan.FromMinutes(2),
            RetentionPeriod = TimeSpan.FromDays(14),
        });
    }

    [Theory]
    [InlineData("enabled: true", true)]
    [InlineData("enabled: False", false)]
    public void Read_Enabled_ReadsBoolean(string line, bool expected) =>
        ReadPersistence("persistence:", "  " + line).ShouldBeSingleValidAgent().Persistence.Enabled.ShouldBe(expected);

    [Theory]
    [InlineData("{ enabled: sometimes }", "spec.persistence.enabled", "expected true or false, found 'sometimes'")]
    [InlineData("{ maxAttempts: three }", "spec.persistence.maxAttempts", "expected a whole number from 1 to 100, found 'three'")]
    [InlineData("{ backoff: 1 }", "spec.persistence.backoff", "expected a duration like 30s, 5m or 1h, found '1'")]
    [InlineData("{ retentionPeriod: 1w }", "spec.persistence.retentionPeriod", "expected a duration like 30s, 5m or 1h, found '1w'")]
    [InlineData("[enabled]", "spec.persistence", "expected a mapping with enabled, maxAttempts, backoff, maxBackoff, requestTimeout, retentionPeriod, found a list")]
    public void Read_BadValue_ReportsPathAndWhatIsExpected(string block, string path, string message) =>
        ReadPersistence("persistence: " + block).ShouldHaveOneError(path).Message.ShouldBe(message);

    [Theory]
    [InlineData("maxAttempt", "maxAttempts")]
    [InlineData("retentionPeroid", "retentionPeriod")]
    [InlineData("maxbackoff", "maxBackoff")]
    [InlineData("backof", "backoff")]
    [InlineData("enable", "enabled")]
    [InlineData("requestTimout", "requestTimeout")]
    public void Read_MisspeltField_SuggestsTheKnownOneWithLineAndColumn(string misspelt, string suggested)
    {
        var error = ReadPersistence("persistence:", $"  {misspelt}: 3").ShouldHaveOneError($"spec.persistence.{misspelt}");

        error.Message.ShouldBe($"unknown field; did you mean '{suggested}'?");
        error.Line.ShouldBe(8);
        error.Column.ShouldBe(5);
    }

    [Fact]
    public void Read_MisspeltBlockName_SuggestsPersistence() =>
        ReadPersistence("persistance: { enabled: false }").ShouldHaveOneError("spec.persistance").Message
            .ShouldBe("unknown field; did you mean 'persistence'?");

    [Fact]
    public void Read_OutOfRangeValue_ReportsValidationErrorAtItsLine()
    {
        var error = ReadPersistence("persistence:", "  backoff: 1s", "  maxAttempts: 0").ShouldHaveOneError("spec.persistence.maxAttempts");

        error.Message.ShouldBe("0 is out of range; expected 1 to 100");
        error.Line.ShouldBe(9);
    }

    [Fact]
    public void Validate_Defaults_AreValid() => Validate(new PersistenceSpec()).ShouldBeEmpty();

    [Fact]
    public void Validate_Limits_AreAccepted() =>
        Validate(new PersistenceSpec { MaxAttempts = 100, Backoff = TimeSpan.FromSeconds(5), MaxBackoff = TimeSpan.FromSeconds(5), RequestTimeout = TimeSpan.FromHours(1) })
            .ShouldBeEmpty();

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public void Validate_MaxAttemptsOutOfRange_IsAnError(int attempts) =>
        Validate(new PersistenceSpec { MaxAttempts = attempts }).ShouldHaveSingleItem()
            .ShouldBe(new SpecError("spec.persistence.maxAttempts", $"{attempts} is out of range; expected 1 to 100"));

    [Theory]
    [InlineData(0)]
    [InlineData(-1000)]
    public void Validate_BackoffNotPositive_IsAnError(int milliseconds) =>
        Validate(new PersistenceSpec { Backoff = TimeSpan.FromMilliseconds(milliseconds) }).ShouldHaveSingleItem()
            .ShouldBe(new SpecError("spec.persistence.backoff", "must be more than zero; expected a duration like 500ms or 1s"));

    [Fact]
    public void Validate_MaxBackoffBelowBackoff_NamesTheBackoff() =>
        Validate(new PersistenceSpec { Backoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromMilliseconds(999) }).ShouldHaveSingleItem()
            .ShouldBe(new SpecError("spec.persistence.maxBackoff", "must be at least backoff (1s)"));

    [Fact]
    public void Validate_MaxBackoffZero_SaysMoreThanZero() =>
        Validate(new PersistenceSpec { MaxBackoff = TimeSpan.Zero }).ShouldHaveSingleItem()
            .ShouldBe(new SpecError("spec.persistence.maxBackoff", "must be more than zero; expected a duration like 30s or 1m"));

    [Fact]
    public void Validate_RequestTimeoutZero_IsAnError() =>
        Validate(new PersistenceSpec { RequestTimeout = TimeSpan.Zero }).ShouldHaveSingleItem()
            .ShouldBe(new SpecError("spec.persistence.requestTimeout", "must be more than zero; expected a duration like 60s or 2m"));

    [Fact]
    public void Validate_RequestTimeoutOverAnHour_IsAnError() =>
        Validate(new PersistenceSpec { RequestTimeout = TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1) }).ShouldHaveSingleItem()
            .ShouldBe(new SpecError("spec.persistence.requestTimeout", "1h1s is too long; expected at most 1h"));

    [Fact]
    public void Validate_RetentionPeriodZero_IsAnError() =>
        Validate(new PersistenceSpec { RetentionPeriod = TimeSpan.Zero }).ShouldHaveSingleItem()
            .ShouldBe(new SpecError("spec.persistence.retentionPeriod", "must be more than zero; expected a duration like 7d or 12h"));

    [Fact]
    public void Validate_Disabled_StillChecksValues() =>
        Validate(new PersistenceSpec { Enabled = false, MaxAttempts = 0 }).ShouldHaveSingleItem().Path.ShouldBe("spec.persistence.maxAttempts");

    [Fact]
    public void Validate_CustomPrefix_PrefixesThePath() =>
        AgentSpecValidator.Validate(SpecTestData.ValidContainer() with { Persistence = new PersistenceSpec { MaxAttempts = 0 } }, pathPrefix: "")
            .ShouldHaveSingleItem().Path.ShouldBe("persistence.maxAttempts");

    [Fact]
    public void ToYaml_Defaults_OmitsTheBlock() =>
        SpecWriter.ToYaml(SpecTestData.ValidContainer()).ShouldNotContain("persistence");

    [Fact]
    public void ToYaml_OneFieldChanged_WritesOnlyThatField()
    {
        var yaml = SpecWriter.ToYaml(SpecTestData.ValidContainer() with { Persistence = new PersistenceSpec { Enabled = false } });

        yaml.ShouldContain("persistence:\n    enabled: false\n");
        yaml.ShouldNotContain("maxAttempts");
        yaml.ShouldNotContain("retentionPeriod");
    }

    public static TheoryData<string> RoundTrips() => new(RoundTripExamples.Keys);

    private static readonly Dictionary<string, PersistenceSpec> RoundTripExamples = new()
    {
        ["defaults"] = new PersistenceSpec(),
        ["disabled"] = new PersistenceSpec { Enabled = false },
        ["every-field"] = new PersistenceSpec
        {
            Enabled = false,
            MaxAttempts = 3,
            Backoff = TimeSpan.FromMilliseconds(500),
            MaxBackoff = TimeSpan.FromSeconds(90),
            RequestTimeout = TimeSpan.FromMinutes(2),
            RetentionPeriod = TimeSpan.FromDays(14) + TimeSpan.FromHours(6),
        },
        ["odd-durations"] = new PersistenceSpec { Backoff = TimeSpan.FromMilliseconds(1.5), MaxBackoff = TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(250), RetentionPeriod = TimeSpan.FromDays(400) },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void ToYaml_ThenRead_YieldsEqualPersistence(string example)
    {
        var spec = SpecTestData.ValidContainer() with { Persistence = RoundTripExamples[example] };

        var back = SpecTestData.Read(SpecWriter.ToYaml(spec)).ShouldBeSingleValidAgent();

        back.Persistence.ShouldBe(spec.Persistence);
    }

    [Fact]
    public void Deserialize_JsonBodyWithPersistence_ReadsValuesAndKeepsOtherDefaults()
    {
        const string json = """
            {"name":"echo","image":"local/echo:1","persistence":{"enabled":false,"maxAttempts":3,"backoff":"500ms","retentionPeriod":"14d"}}
            """;

        var spec = JsonSerializer.Deserialize<AgentSpec>(json, BerthJson.Options).ShouldNotBeNull();

        spec.Persistence.ShouldBe(new PersistenceSpec
        {
            Enabled = false,
            MaxAttempts = 3,
            Backoff = TimeSpan.FromMilliseconds(500),
            RetentionPeriod = TimeSpan.FromDays(14),
        });
        AgentSpecValidator.Validate(spec).ShouldBeEmpty();
    }

    [Fact]
    public void Serialize_Persistence_UsesCamelCaseAndRoundTrips()
    {
        var spec = SpecTestData.ValidContainer() with { Persistence = new PersistenceSpec { MaxAttempts = 2, RequestTimeout = TimeSpan.FromMinutes(2) } };

        var json = JsonSerializer.Serialize(spec, BerthJson.Options);
        var back = JsonSerializer.Deserialize<AgentSpec>(json, BerthJson.Options).ShouldNotBeNull();

        json.ShouldContain("\"persistence\":{\"maxAttempts\":2,\"requestTimeout\":\"2m\"}", customMessage: "defaults are left out");
        back.Persistence.ShouldBe(spec.Persistence);
    }

    [Fact]
    public void Deserialize_UnknownPersistenceMember_IsRejected() =>
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<AgentSpec>(
            """{"name":"echo","image":"local/echo:1","persistence":{"retries":3}}""", BerthJson.Options));
}
