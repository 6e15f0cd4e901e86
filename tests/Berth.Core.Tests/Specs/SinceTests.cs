using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class SinceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryParse_Duration_CountsBackFromNow()
    {
        Since.TryParse("90m", Now, out var since).ShouldBeTrue();

        since.ShouldBe(Now.AddMinutes(-90));
    }

    [Fact]
    public void TryParse_IsoTimeWithoutOffset_IsUtc()
    {
        Since.TryParse("2026-01-01T10:00:00", Now, out var since).ShouldBeTrue();

        since.ShouldBe(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void TryParse_DurationReachingBeforeTheCalendar_GivesItsStartInsteadOfThrowing()
    {
        Since.TryParse("10000000d", Now, out var since).ShouldBeTrue();

        since.ShouldBe(DateTimeOffset.MinValue);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("-5m")]
    public void IsValid_Nonsense_IsFalse(string text) => Since.IsValid(text).ShouldBeFalse();
}
