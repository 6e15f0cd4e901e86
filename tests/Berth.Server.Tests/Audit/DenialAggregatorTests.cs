using Berth.Core.Security;
using Berth.Server.Audit;

namespace Berth.Server.Tests.Audit;

public sealed class DenialAggregatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    private static AuditRecord Denied(DateTimeOffset time, string source = "10.0.0.1", int status = 401, string outcome = AuditOutcomes.Denied) => new()
    {
        Time = time,
        Principal = "anonymous",
        Action = "GET /x",
        Target = $"t={time.Ticks}",
        Status = status,
        Outcome = outcome,
        Source = source,
    };

    [Fact]
    public void Add_AMinutesFlood_FirstTenStored_RestCountedInOneRecordWhenTheMinuteEnds()
    {
        var aggregator = new DenialAggregator();
        var stored = new List<AuditRecord>();

        for (var i = 0; i < 1000; i++)
        {
            aggregator.Add(Denied(Start.AddMilliseconds(i * 50)), stored);
        }

        stored.Count.ShouldBe(DenialAggregator.IndividualPerMinute);
        aggregator.TakeEnded(Start.AddSeconds(59), stored);
        stored.Count.ShouldBe(DenialAggregator.IndividualPerMinute, "the minute has not ended");
        aggregator.TakeEnded(Start.AddMinutes(1), stored);
        var folded = stored.Last();
        folded.Count.ShouldBe(1000 - DenialAggregator.IndividualPerMinute);
        folded.Action.ShouldBe("*");
        folded.Target.ShouldBeNull();
        folded.Source.ShouldBe("10.0.0.1");
        stored.Sum(r => r.Count).ShouldBe(1000);
    }

    [Fact]
    public void Add_OtherSourcesStatusesAndOutcomes_CountedApartOrNotAtAll()
    {
        var aggregator = new DenialAggregator();
        var stored = new List<AuditRecord>();

        for (var i = 0; i < 20; i++)
        {
            aggregator.Add(Denied(Start, source: "10.0.0.1"), stored);
            aggregator.Add(Denied(Start, source: "10.0.0.2"), stored);
            aggregator.Add(Denied(Start, status: 403), stored);
            aggregator.Add(Denied(Start, status: 201, outcome: AuditOutcomes.Allowed), stored);
        }

        aggregator.TakeAll(stored);

        stored.Count(r => r.Outcome == AuditOutcomes.Allowed).ShouldBe(20, "only denials are folded");
        stored.Where(r => r.Outcome == AuditOutcomes.Denied).GroupBy(r => (r.Source, r.Status))
            .ShouldAllBe(g => g.Count() == DenialAggregator.IndividualPerMinute + 1 && g.Sum(r => r.Count) == 20);
    }

    [Fact]
    public void Add_NextMinute_StartsAfreshAndStoresThePreviousCount()
    {
        var aggregator = new DenialAggregator();
        var stored = new List<AuditRecord>();
        for (var i = 0; i < 15; i++)
        {
            aggregator.Add(Denied(Start.AddSeconds(i)), stored);
        }

        aggregator.Add(Denied(Start.AddMinutes(1)), stored);

        stored.Count.ShouldBe(DenialAggregator.IndividualPerMinute + 2);
        stored[^2].Count.ShouldBe(5);
        stored[^1].Count.ShouldBe(1);
        stored[^1].Action.ShouldBe("GET /x");
    }
}
