using Berth.Core.Storage;
using Berth.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.Storage;

/// <summary>Registers the SQLite store.</summary>
public static class SqliteStoreServiceCollectionExtensions
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
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new SqliteConnectionFactory(databasePath));
        services.TryAddSingleton<IAgentStore, SqliteAgentStore>();
        services.TryAddSingleton<IInstanceStore, SqliteInstanceStore>();
        services.TryAddSingleton<IEventStore, SqliteEventStore>();
        services.TryAddSingleton<ITokenStore, SqliteTokenStore>();
        services.TryAddSingleton<ISecretStore, SqliteSecretStore>();
        services.TryAddSingleton<IAuditStore, SqliteAuditStore>();
        services.TryAddSingleton<IRequestStore, SqliteRequestStore>();
        services.TryAddSingleton<IWorkflowStore, SqliteWorkflowStore>();
        services.TryAddSingleton<IRunStore, SqliteRunStore>();
        services.TryAddSingleton<IArtifactStore, SqliteArtifactStore>();
        services.TryAddSingleton<IPluginStore, SqlitePluginStore>();
        services.TryAddSingleton<ITopicStore, SqliteTopicStore>();

        // Not registered as IMessageBroker: the server picks the broker by configuration (embedded or rabbitmq).
        services.TryAddSingleton<SqliteMessageBroker>();
        services.TryAddSingleton<IStoreInitializer, SqliteStoreInitializer>();
        return services;
    }
}
