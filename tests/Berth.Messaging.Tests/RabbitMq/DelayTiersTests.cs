using Berth.Messaging.RabbitMq.Amqp;

namespace Berth.Messaging.Tests.RabbitMq;

public sealed class DelayTiersTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(-5, 0)]
    [InlineData(1, 100)]
    [InlineData(100, 100)]
    [InlineData(101, 120)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 1200)]
    [InlineData(16_000, 20_000)]
    [InlineData(60_000, 60_000)]
    [InlineData(3_599_999, 3_600_000)]
    [InlineData(7_200_000, 3_600_000)]
    public void For_Delay_RoundsUpToATier(long delayMs, long tierMs) =>
        DelayTiers.For(TimeSpan.FromMilliseconds(delayMs)).ShouldBe(tierMs);

    [Fact]
    public void For_EveryDelayUpToAnHour_NeverShorterAndAtMostAThirdLonger()
    {
        var tiers = new HashSet<long>();
        for (var ms = 100L; ms <= DelayTiers.MaxMs; ms = (ms * 11 / 10) + 1)
        {
            var tier = DelayTiers.For(TimeSpan.FromMilliseconds(ms));
            tier.ShouldBeGreaterThanOrEqualTo(ms);
            tier.ShouldBeLessThanOrEqualTo((ms * 4 / 3) + 1, $"the tier of {ms} ms");
            tiers.Add(tier);
        }

        tiers.Count.ShouldBeLessThanOrEqualTo(50, "a subscription's delay queues stay few whatever delays clients ask for");
    }
}
