using Berth.Server.Hosting;
using Berth.Server.Hosting.Settings;
using Microsoft.Extensions.Configuration;

namespace Berth.Server.Tests.Hosting;

public sealed class DurationSettingsTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("00:00:30", 30_000)]
    [InlineData("1.00:00:00", 86_400_000)]
    public void TryParse_AsSpecsOrTimeSpan_Reads(string text, long milliseconds)
    {
        DurationSettings.TryParse(text, out var value).ShouldBeTrue();

        value.ShouldBe(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData("30")]
    [InlineData("soon")]
    [InlineData("-5s")]
    [InlineData("5 minutes")]
    public void TryParse_BareNumberOrWords_Refused(string text) =>
        DurationSettings.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void KeysOf_BerthOptions_FindsEveryDurationIncludingNestedGroups() =>
        DurationSettings.KeysOf(typeof(BerthOptions)).ShouldBe(
            ["Reconciler:Interval", "Reconciler:StopGrace", "Leader:LeaseDuration", "Leader:RenewInterval", "Requests:DefaultWait", "Requests:MaxWait", "Workflows:CircuitBreaker:Window", "Workflows:CircuitBreaker:BreakDuration"],
            ignoreOrder: true);

    [Fact]
    public void Bind_DurationsInBothForms_AndOtherValuesAsTheBinderReadsThem()
    {
        var section = Section(new() { ["Berth:Reconciler:Interval"] = "250ms", ["Berth:Reconciler:StopGrace"] = "00:00:03", ["Berth:Workflows:MaxActiveRuns"] = "9" });

        var options = SettingsBinding.Bind(section, new BerthOptions());

        options.Reconciler.Interval.ShouldBe(TimeSpan.FromMilliseconds(250));
        options.Reconciler.StopGrace.ShouldBe(TimeSpan.FromSeconds(3));
        options.Workflows.MaxActiveRuns.ShouldBe(9);
    }

    [Fact]
    public void Bind_BadDuration_KeepsTheDefaultAndTheValidatorNamesTheKey()
    {
        var section = Section(new() { ["Berth:Requests:MaxWait"] = "forever" });

        var options = SettingsBinding.Bind(section, new BerthOptions());
        var result = new DurationSettingsValidator<BerthOptions>(section).Validate(null, options);

        options.Requests.MaxWait.ShouldBe(new BerthOptions().Requests.MaxWait);
        result.Failed.ShouldBeTrue();
        result.Failures.ShouldHaveSingleItem().ShouldBe("Berth:Requests:MaxWait must be a duration like 30s; got 'forever'");
    }

    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(BerthOptions.Section);
}
