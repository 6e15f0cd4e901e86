using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Berth.Messaging.RabbitMq;

/// <summary>Registers the RabbitMQ message broker.</summary>
public static class RabbitMqServiceCollectionExtensions
{
    /// <summary>
    /// Adds <c>RabbitMqMessageBroker</c> as a concrete singleton (the host picks the broker by configuration, so no
    /// <c>IMessageBroker</c> is registered here), with its options validated at start. The host binds the options (the server
    /// from <c>Berth:Messaging:RabbitMq</c>); <paramref name="configure"/> adds to that. Needs the SQLite store
    /// (<c>AddSqliteStore</c> or <c>AddPostgresStore</c>), which keeps the broker's dedupe ids and dead letters.
    /// </summary>
    public static IServiceCollection AddRabbitMqBroker(this IServiceCollection services, Action<RabbitMqOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RabbitMqOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RabbitMqOptions>, RabbitMqOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RabbitMqMessageBroker>();
        return services;
    }
}
