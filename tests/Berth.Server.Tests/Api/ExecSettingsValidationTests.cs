using Berth.Server.Exec;

namespace Berth.Server.Tests.Api;

public sealed class ExecSettingsValidationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(25 * 3600)]
    public void Validate_IdleTimeoutOutOfRange_FailsNamingTheKey(int seconds)
    {
        var result = new ExecSettingsValidator().Validate(null, new ExecSettings { IdleTimeout = TimeSpan.FromSeconds(seconds) });

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain("Berth:Exec:IdleTimeout");
    }

    [Fact]
    public void Validate_Default_Succeeds() =>
        new ExecSettingsValidator().Validate(null, new ExecSettings()).Succeeded.ShouldBeTrue();
}
