using Berth.Core.Workflows;

namespace Berth.Core.Tests.Workflows;

public sealed class CronScheduleTests
{
    // A Thursday.
    private static readonly DateTimeOffset NewYear = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CronSchedule Parse(string text)
    {
        CronSchedule.TryParse(text, out var schedule, out var error).ShouldBeTrue(error);
        return schedule;
    }

    private static List<DateTimeOffset> Times(string text, int count, DateTimeOffset? from = null)
    {
        var schedule = Parse(text);
        var times = new List<DateTimeOffset>();
        var at = from ?? NewYear;
        for (var i = 0; i < count; i++)
        {
            at = schedule.Next(at, TimeZoneInfo.Utc) ?? throw new InvalidOperationException($"'{text}' stopped after {i} times");
            times.Add(at);
        }

        return times;
    }

    private static DateTimeOffset At(int month, int day, int hour = 3, int minute = 0, int second = 0) =>
        new(2026, month, day, hour, minute, second, TimeSpan.Zero);

    [Theory]
    [InlineData("1", DayOfWeek.Sunday, 4)]
    [InlineData("2", DayOfWeek.Monday, 5)]
    [InlineData("3", DayOfWeek.Tuesday, 6)]
    [InlineData("4", DayOfWeek.Wednesday, 7)]
    [InlineData("5", DayOfWeek.Thursday, 1)]
    [InlineData("6", DayOfWeek.Friday, 2)]
    [InlineData("7", DayOfWeek.Saturday, 3)]
    [InlineData("SUN", DayOfWeek.Sunday, 4)]
    [InlineData("MON", DayOfWeek.Monday, 5)]
    [InlineData("TUE", DayOfWeek.Tuesday, 6)]
    [InlineData("WED", DayOfWeek.Wednesday, 7)]
    [InlineData("THU", DayOfWeek.Thursday, 1)]
    [InlineData("FRI", DayOfWeek.Friday, 2)]
    [InlineData("sat", DayOfWeek.Saturday, 3)]
    public void Next_QuartzDayOfWeek_FallsOnlyOnThatDay(string day, DayOfWeek expected, int firstDayOfJanuary)
    {
        var times = Times($"0 0 3 ? * {day}", 3);

        times.ShouldBe([At(1, firstDayOfJanuary), At(1, firstDayOfJanuary + 7), At(1, firstDayOfJanuary + 14)]);
        times.ShouldAllBe(t => t.DayOfWeek == expected);
    }

    [Theory]
    [InlineData("0", DayOfWeek.Sunday, 4)]
    [InlineData("1", DayOfWeek.Monday, 5)]
    [InlineData("2", DayOfWeek.Tuesday, 6)]
    [InlineData("3", DayOfWeek.Wednesday, 7)]
    [InlineData("4", DayOfWeek.Thursday, 1)]
    [InlineData("5", DayOfWeek.Friday, 2)]
    [InlineData("6", DayOfWeek.Saturday, 3)]
    [InlineData("7", DayOfWeek.Sunday, 4)]
    [InlineData("MON", DayOfWeek.Monday, 5)]
    public void Next_StandardDayOfWeek_FallsOnlyOnThatDay(string day, DayOfWeek expected, int firstDayOfJanuary)
    {
        var times = Times($"0 3 * * {day}", 2);

        times.ShouldBe([At(1, firstDayOfJanuary), At(1, firstDayOfJanuary + 7)]);
        times.ShouldAllBe(t => t.DayOfWeek == expected);
    }

    [Fact]
    public void Next_StandardEveryFiveMinutes_IsOnTheFives() =>
        Times("*/5 * * * *", 3, At(1, 1, 0, 1, 30)).ShouldBe([At(1, 1, 0, 5), At(1, 1, 0, 10), At(1, 1, 0, 15)]);

    [Fact]
    public void Next_QuartzWithSeconds_CountsSeconds() =>
        Times("*/15 * * * * ?", 3).ShouldBe([At(1, 1, 0, 0, 15), At(1, 1, 0, 0, 30), At(1, 1, 0, 0, 45)]);

    [Fact]
    public void Next_QuartzDaily_IsStrictlyAfterTheGivenTime() =>
        Times("0 0 3 * * ?", 2, At(1, 1)).ShouldBe([At(1, 2), At(1, 3)]);

    [Fact]
    public void Next_QuartzYearEveryYear_IsTheSixFieldSchedule() =>
        Times("0 0 3 * * ? *", 3).ShouldBe(Times("0 0 3 * * ?", 3));

    [Fact]
    public void Next_QuartzLAlone_IsSaturday() =>
        Times("0 0 3 ? * L", 2).ShouldBe([At(1, 3), At(1, 10)]);

    [Fact]
    public void Next_QuartzLastFriday_IsTheMonthsLastFriday() =>
        Times("0 0 3 ? * 6L", 2).ShouldBe([At(1, 30), At(2, 27)]);

    [Fact]
    public void Next_QuartzThirdFriday_IsTheMonthsThirdFriday() =>
        Times("0 0 3 ? * FRI#3", 2).ShouldBe([At(1, 16), At(2, 20)]);

    [Fact]
    public void Next_QuartzStepFromADay_EndsAtSaturday() =>
        Times("0 0 3 ? * 2/2", 4).ShouldBe([At(1, 2), At(1, 5), At(1, 7), At(1, 9)]);

    [Fact]
    public void Next_StandardStepFromADay_EndsAtSaturday() =>
        Times("0 3 * * 1/2", 4).ShouldBe([At(1, 2), At(1, 5), At(1, 7), At(1, 9)]);

    [Fact]
    public void Next_QuartzWeekendRange_WrapsFromSaturdayToSunday() =>
        Times("0 0 3 ? * SAT-SUN", 3).ShouldBe([At(1, 3), At(1, 4), At(1, 10)]);

    [Fact]
    public void Next_LastWeekdayOfMonth_MovesOffTheWeekend() =>
        Times("0 0 3 LW * ?", 2).ShouldBe([At(1, 30), At(2, 27)]);

    [Fact]
    public void Next_NearestWeekday_MovesSundayToMonday() =>
        Times("0 0 3 15W * ?", 2).ShouldBe([At(1, 15), At(2, 16)]);

    [Fact]
    public void Next_LastDayInAList_IsAddedToTheOtherDays() =>
        Times("0 0 3 L,15 * ?", 4).ShouldBe([At(1, 15), At(1, 31), At(2, 15), At(2, 28)]);

    [Fact]
    public void Next_StepAsAnItemOfAList_IsSpelledOut() =>
        Times("0 0 3 */10,15 * ?", 6).ShouldBe([At(1, 1), At(1, 11), At(1, 15), At(1, 21), At(1, 31), At(2, 1)]);

    [Theory]
    [InlineData("0 0 3 13 * 6")]
    [InlineData("0 3 13 * 5")]
    public void Next_DayOfMonthAndDayOfWeek_MatchEitherAsCronAndQuartzDo(string text) =>
        Times(text, 4).ShouldBe([At(1, 2), At(1, 9), At(1, 13), At(1, 16)]);

    [Fact]
    public void Next_MonthName_IsThatMonth() =>
        Times("0 0 3 1 MAR ?", 2).ShouldBe([At(3, 1), new DateTimeOffset(2027, 3, 1, 3, 0, 0, TimeSpan.Zero)]);

    [Fact]
    public void Next_DayThatNeverComes_IsNull() =>
        Parse("0 0 3 30 2 ?").Next(NewYear, TimeZoneInfo.Utc).ShouldBeNull();

    [Fact]
    public void Next_OtherZone_ReadsTheFieldsAsThatZonesWallClock()
    {
        var plusTwo = TimeZoneInfo.CreateCustomTimeZone("plus-two", TimeSpan.FromHours(2), "plus-two", "plus-two");

        Parse("0 0 3 * * ?").Next(NewYear, plusTwo).ShouldBe(At(1, 1, 1));
    }

    [Fact]
    public void TryParse_Valid_KeepsTheTextAsWritten() =>
        Parse(" 0 0/5 * * * ? ").Text.ShouldBe(" 0 0/5 * * * ? ");

    [Theory]
    [InlineData("0 0 3 ? * 0", "Days of week: '0' is not a day; in the 6-field Quartz form days of the week are 1-7 (1 = SUN, 7 = SAT)")]
    [InlineData("0 0 3 ? * 8", "Days of week: '8' is not a day")]
    [InlineData("0 0 3 ? * 2-9", "Days of week: '9' is not a day")]
    [InlineData("0 0 3 ? * FUN", "Days of week: 'FUN' is not a day")]
    [InlineData("0 0 3 ? * 2W", "Days of week: cannot read '2W'")]
    [InlineData("0 0 3 ? * 6#6", "Days of week:")]
    [InlineData("* * * * 8", "Days of week:")]
    [InlineData("60 * * * * ?", "Seconds:")]
    [InlineData("0 61 * * * ?", "Minutes:")]
    [InlineData("0 0/75 * * * ?", "Minutes:")]
    [InlineData("0 0 25 * * ?", "Hours:")]
    [InlineData("0 0 3 32 * ?", "Days of month:")]
    [InlineData("0 0 3 ? 13 *", "Months:")]
    [InlineData("0 0 3 * * ? 2030", "Year: '2030' is not supported")]
    [InlineData("1 2 3", "expected 5 fields")]
    [InlineData("1 2 3 4 5 6 7 8", "expected 5 fields")]
    [InlineData("", "expected 5 fields")]
    public void TryParse_Invalid_NamesTheField(string text, string expected)
    {
        CronSchedule.TryParse(text, out var schedule, out var error).ShouldBeFalse();

        schedule.ShouldBeNull();
        error.ShouldStartWith(expected);
    }
}
