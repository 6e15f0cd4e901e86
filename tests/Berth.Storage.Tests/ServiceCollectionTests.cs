using Berth.Core.Storage;
using Berth.Storage.Postgres;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Storage.Tests;

public sealed class ServiceCollectionTests
{
    [Theory]
    [InlineData(typeof(IAgentStore), typeof(SqlAgentStore))]
    [InlineData(typeof(IInstanceStore), typeof(SqlInstanceStore))]
    [InlineData(typeof(IEventStore), typeof(SqlEventStore))]
    [InlineData(typeof(IStoreInitializer), typeof(SqliteStoreInitializer))]
    public void AddSqliteStore_Service_SingletonSqliteImplementation(Type service, Type implementation)
    {
        var services = new ServiceCollection().AddSqliteStore("/tmp/berth-test/berth.db");

        var descriptor = services.Where(d => d.ServiceType == service).ShouldHaveSingleItem();

        descriptor.Lifetime.ShouldBe(ServiceLifetime.Singleton);
        descriptor.ImplementationType.ShouldBe(implementation);
    }

    [Theory]
    [InlineData("sqlite", typeof(SqliteRequestWriter))]
    [InlineData("postgres", typeof(PostgresRequestWriter))]
    public async Task AddStore_RequestStore_OneSqlStoreOverTheEnginesWriter(string engine, Type writer)
    {
        var services = engine == "sqlite"
            ? new ServiceCollection().AddSqliteStore("/tmp/berth-test/berth.db")
            : new ServiceCollection().AddPostgresStore("postgres://berth:secret@127.0.0.1:5432/berth");

        services.Where(d => d.ServiceType == typeof(IRequestWriter)).ShouldHaveSingleItem().ImplementationType.ShouldBe(writer);
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IRequestStore>().ShouldBeOfType<SqlRequestStore>();
        provider.GetRequiredService<IRequestWriter>().ShouldBeOfType(writer);
    }

    [Fact]
    public void AddSqliteStore_RelativePath_FactoryUsesAbsolutePath()
    {
        var services = new ServiceCollection().AddSqliteStore("data/berth.db");

        var factory = services.Where(d => d.ServiceType == typeof(SqliteDatabase)).ShouldHaveSingleItem().ImplementationInstance;

        factory.ShouldBeOfType<SqliteDatabase>().Describe().ShouldBe($"sqlite:{Path.GetFullPath("data/berth.db")}");
    }

    [Fact]
    public void AddSqliteStore_StoreAlreadyRegistered_KeepsExistingRegistration()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());

        services.AddSqliteStore("/tmp/berth-test/berth.db");

        services.Where(d => d.ServiceType == typeof(TimeProvider)).ShouldHaveSingleItem()
            .ImplementationInstance.ShouldBeOfType<FakeTimeProvider>();
    }
}
