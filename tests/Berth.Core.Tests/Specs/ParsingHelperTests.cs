using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

public sealed class ParsingHelperTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("2d", 172_800_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData(" 10s ", 10_000)]
    [InlineData("0s", 0)]
    public void Duration_TryParse_ValidText_ReturnsValue(string text, long milliseconds)
    {
        Duration.TryParse(text, out var value).ShouldBeTrue();
        value.ShouldBe(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("-5s")]
    [InlineData("5 s")]
    [InlineData("5S")]
    [InlineData("5w")]
    [InlineData("s")]
    [InlineData("1..5s")]
    [InlineData("abc")]
    public void Duration_TryParse_InvalidText_ReturnsFalse(string? text) =>
        Duration.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(30_000, "30s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(250, "250ms")]
    [InlineData(93_784_005, "1d2h3m4s5ms")]
    public void Duration_Format_Value_IsShortestExactForm(long milliseconds, string expected)
    {
        var text = Duration.Format(TimeSpan.FromMilliseconds(milliseconds));
        text.ShouldBe(expected);
        Duration.TryParse(text, out var back).ShouldBeTrue();
        back.ShouldBe(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData("512Mi", 512L << 20)]
    [InlineData("2Gi", 2L << 30)]
    [InlineData("1Ki", 1024)]
    [InlineData("1Ti", 1L << 40)]
    [InlineData("100M", 100_000_000)]
    [InlineData("1k", 1_000)]
    [InlineData("1K", 1_000)]
    [InlineData("1G", 1_000_000_000)]
    [InlineData("1024", 1024)]
    [InlineData("1.5Gi", 3L << 29)]
    public void ByteSize_TryParse_ValidText_ReturnsBytes(string text, long expected)
    {
        ByteSize.TryParse(text, out var bytes).ShouldBeTrue();
        bytes.ShouldBe(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1Mi")]
    [InlineData("Mi")]
    [InlineData("512MB")]
    [InlineData("512 mi")]
    [InlineData("0.5")]
    [InlineData("1e3")]
    [InlineData("99999999999Ti")]
    public void ByteSize_TryParse_InvalidText_ReturnsFalse(string? text) =>
        ByteSize.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData(512L << 20, "512Mi")]
    [InlineData(1536L << 10, "1536Ki")]
    [InlineData(2L << 30, "2Gi")]
    [InlineData(1000, "1000")]
    public void ByteSize_Format_Value_UsesLargestExactBinaryUnit(long bytes, string expected) =>
        ByteSize.Format(bytes).ShouldBe(expected);

    [Theory]
    [InlineData("0.5", 0.5)]
    [InlineData("2", 2.0)]
    [InlineData("500m", 0.5)]
    [InlineData("1500m", 1.5)]
    [InlineData(" 1 ", 1.0)]
    public void CpuQuantity_TryParse_ValidText_ReturnsCores(string text, double expected)
    {
        CpuQuantity.TryParse(text, out var cores).ShouldBeTrue();
        cores.ShouldBe(expected, 1e-9);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0m")]
    [InlineData("-1")]
    [InlineData("m")]
    [InlineData("half")]
    [InlineData("1c")]
    public void CpuQuantity_TryParse_InvalidText_ReturnsFalse(string? text) =>
        CpuQuantity.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(2.0, "2")]
    [InlineData(0.25, "0.25")]
    public void CpuQuantity_Format_Value_IsCores(double cores, string expected) =>
        CpuQuantity.Format(cores).ShouldBe(expected);
}
