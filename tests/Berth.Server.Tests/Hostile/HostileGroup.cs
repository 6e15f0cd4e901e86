namespace Berth.Server.Tests.Hostile;

/// <summary>The hostile-input test classes share one server and its agents.</summary>
[CollectionDefinition(Name)]
public sealed class HostileGroup : ICollectionFixture<HostileServerFixture>
{
    public const string Name = "Hostile input";
}
