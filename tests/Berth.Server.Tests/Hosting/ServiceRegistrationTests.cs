using Berth.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Hosting;

public sealed class ServiceRegistrationTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"berth-reg-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AddBerthServer_FreshDataDirectory_WritesNothingUntilStart(bool dataDirExists)
    {
        if (dataDirExists)
        {
            Directory.CreateDirectory(_dataDir);
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Berth:DataDir"] = _dataDir, ["Berth:Runtime"] = "auto" })
            .Build();
        var services = new ServiceCollection();

        services.AddBerthServer(configuration);
        using var provider = services.BuildServiceProvider();

        Directory.Exists(_dataDir).ShouldBe(dataDirExists, "registering services and building the container must not create the data directory");
        if (dataDirExists)
        {
            Directory.EnumerateFileSystemEntries(_dataDir).ShouldBeEmpty("registering services must not write into the data directory");
        }

        var serverId = provider.GetRequiredService<ServerId>();
        File.ReadAllText(Path.Combine(_dataDir, "server-id")).ShouldBe(serverId.Value, "the server id is created when start-up first needs it");
    }
}
