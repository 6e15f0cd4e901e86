namespace Berth.Cli.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class ServerGroup : ICollectionFixture<ServerFixture>
{
    public const string Name = "berth server";
}
