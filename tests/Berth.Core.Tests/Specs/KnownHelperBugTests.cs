using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

/// <summary>Bugs found in the shared parsing helpers, reported to the lead; unskip once fixed. The reader guards against them meanwhile.</summary>
public sealed class KnownHelperBugTests
{
    [Fact(Skip = "reported: ByteSize.TryParse throws OverflowException for 9999999999999999999999999999Ti instead of returning false")]
    public void ByteSize_TryParse_HugeNumber_ReturnsFalse() =>
        ByteSize.TryParse("9999999999999999999999999999Ti", out _).ShouldBeFalse();

    [Fact(Skip = "reported: Duration.TryParse throws OverflowException for 99999999999999d instead of returning false")]
    public void Duration_TryParse_HugeNumber_ReturnsFalse() =>
        Duration.TryParse("99999999999999d", out _).ShouldBeFalse();

    [Fact(Skip = "reported: CpuQuantity.TryParse accepts NaN (double.TryParse reads the symbol; NaN <= 0 is false)")]
    public void CpuQuantity_TryParse_NaN_ReturnsFalse() =>
        CpuQuantity.TryParse("NaN", out _).ShouldBeFalse();

    [Fact(Skip = "reported: Duration.Format returns an empty string for a positive value under 1ms")]
    public void Duration_Format_SubMillisecond_IsNotEmpty() =>
        Duration.Format(TimeSpan.FromTicks(4000)).ShouldNotBeEmpty();
}
