using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

/// <summary>Edge cases of the quantity parsers that once threw or accepted nonsense.</summary>
public sealed class QuantityEdgeCaseTests
{
    [Fact]
    public void ByteSize_TryParse_HugeNumber_ReturnsFalse() =>
        ByteSize.TryParse("9999999999999999999999999999Ti", out _).ShouldBeFalse();

    [Fact]
    public void Duration_TryParse_HugeNumber_ReturnsFalse() =>
        Duration.TryParse("99999999999999d", out _).ShouldBeFalse();

    [Fact]
    public void CpuQuantity_TryParse_NaN_ReturnsFalse() =>
        CpuQuantity.TryParse("NaN", out _).ShouldBeFalse();

    [Fact]
    public void Duration_Format_SubMillisecond_IsNotEmpty() =>
        Duration.Format(TimeSpan.FromTicks(4000)).ShouldNotBeEmpty();
}
