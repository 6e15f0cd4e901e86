using System.Text.Json.Nodes;
using Berth.Core.Workflows.Runs;
using Berth.Server.Workflows.Caching;

namespace Berth.Server.Tests.Workflows;

public sealed class CacheMissExplainerTests
{
    [Fact]
    public void Closest_PicksTheEntrySharingTheMostParts()
    {
        var now = Parts(("kind", "c"), ("image", "i2"), ("file:/a", "x"));
        var far = Entry("far", ("kind", "c"), ("image", "i1"), ("file:/a", "y"));
        var near = Entry("near", ("kind", "c"), ("image", "i1"), ("file:/a", "x"));

        CacheMissExplainer.Closest(now, [far, near])!.Key.ShouldBe("near");
    }

    [Fact]
    public void Closest_NoEarlierEntries_Null()
    {
        CacheMissExplainer.Closest(Parts(("kind", "c")), []).ShouldBeNull();
    }

    [Fact]
    public void Differences_SameParts_None()
    {
        CacheMissExplainer.Differences(Parts(("kind", "c")), Parts(("kind", "c"))).ShouldBeEmpty();
    }

    private static Dictionary<string, string> Parts(params (string Name, string Hash)[] parts) =>
        parts.ToDictionary(p => p.Name, p => p.Hash, StringComparer.Ordinal);

    private static CacheEntry Entry(string key, params (string Name, string Hash)[] parts) => new()
    {
        Key = key,
        WorkflowName = "wf",
        StepId = "a",
        Parts = Parts(parts),
        Outputs = new StepOutputs { Body = JsonValue.Create(1) },
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
