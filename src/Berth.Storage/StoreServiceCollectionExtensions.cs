using Berth.Core.Storage;
using Berth.Storage.Postgres;
using Berth.Storage.Sql;
using Berth.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.Storage;

/// <summary>Registers the store: the embedded SQLite file or a PostgreSQL database.</summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IAgentStore"/>, <see cref="IInstanceStore"/>, <see cref="IEventStore"/>, the other stores, the
    /// embedded message broker and <see cref="IStoreInitializer"/> backed by the SQLite file at <paramref name="databasePath"/>. Call
    /// <see cref="IStoreInitializer.InitializeAsync"/> once at start before using the stores.
    /// </summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var database = new SqliteDatabase(databasePath);
        services.TryAddSingleton(database);
        services.TryAddSingleton<StoreDatabase>(database);
        services.TryAddSingleton<IRequestWriter, SqliteRequestWriter>();
        services.TryAddSingleton<IStoreSignals, InProcessStoreSignals>();
        services.TryAddSingleton<IStoreInitializer, SqliteStoreInitializer>();
        return services.AddEngineNeutralStores();
    }

    /// <summary>
    /// Registers the stores, the embedded message broker and <see cref="IStoreInitializer"/> backed by the PostgreSQL database at <paramref name="url"/>
    /// (<c>postgres://user:password@host:5432/database</c>). Several servers may share the database.
    /// </summary>
    /// <exception cref="ArgumentException">The URL cannot be read; the message says why, without the password.</exception>
    public static IServiceCollection AddPostgresStore(this IServiceCollection services, string url)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Parsed now, so a malformed URL fails the start; the container creates (and at shutdown disposes) the connection pool.
        var location = PostgresLocation.Parse(url);
        services.TryAddSingleton(_ => new PostgresDatabase(location));
        services.TryAddSingleton<StoreDatabase>(sp => sp.GetRequiredService<PostgresDatabase>());
        services.TryAddSingleton<IRequestWriter, PostgresRequestWriter>();
        services.TryAddSingleton<IStoreSignals, PostgresStoreSignals>();
        services.TryAddSingleton<IStoreInitializer, PostgresStoreInitializer>();
        return services.AddEngineNeutralStores();
    }

    /// <summary>The stores whose SQL is the same on every engine, over the registered <see cref="StoreDatabase"/>.</summary>
    private static IServiceCollection AddEngineNeutralStores(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAgentStore, SqlAgentStore>();
        services.TryAddSingleton<IInstanceStore, SqlInstanceStore>();
        services.TryAddSingleton<IEventStore, SqlEventStore>();
        services.TryAddSingleton<ITokenStore, SqlTokenStore>();
        services.TryAddSingleton<ISecretStore, SqlSecretStore>();
        services.TryAddSingleton<IAuditStore, SqlAuditStore>();
        services.TryAddSingleton<IWorkflowStore, SqlWorkflowStore>();
        services.TryAddSingleton<IRunStore, SqlRunStore>();
        services.TryAddSingleton<IArtifactStore, SqlArtifactStore>();
        services.TryAddSingleton<IPluginStore, SqlPluginStore>();
        services.TryAddSingleton<ITopicStore, SqlTopicStore>();
        services.TryAddSingleton<IModelEndpointStore, SqlModelEndpointStore>();
        services.TryAddSingleton<ILlmCallStore, SqlLlmCallStore>();
        services.TryAddSingleton<ILlmBudgetStore, SqlLlmBudgetStore>();
        services.TryAddSingleton<ILlmResponseCache, SqlLlmResponseCache>();
        services.TryAddSingleton<ILeaseStore, SqlLeaseStore>();
        services.TryAddSingleton<IStoreIdentityStore, SqlStoreIdentityStore>();
        services.TryAddSingleton<IRequestStore, SqlRequestStore>();

        // Not registered as IMessageBroker: the server picks the broker by configuration (embedded or rabbitmq).
        services.TryAddSingleton<EmbeddedMessageBroker>();
        return services;
    }
}
