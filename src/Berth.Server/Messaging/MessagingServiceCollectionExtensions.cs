using Berth.Core.Messaging;
using Berth.Messaging.RabbitMq;
using Berth.Server.Hosting.Settings;
using Berth.Server.Messaging.Push;
using Berth.Server.Messaging.Replies;
using Berth.Server.Messaging.Triggers;
using Berth.Storage.Sql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Berth.Server.Messaging;

/// <summary>Registers agent messaging: <c>services.AddBerthMessaging(configuration)</c>.</summary>
internal static class MessagingServiceCollectionExtensions
{
    public static IServiceCollection AddBerthMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MessagingOptions>().BindSettings(configuration.GetSection(MessagingOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, MessagingAuthorizationHandler>());
        services.AddOptions<RabbitMqOptions>().BindSettings(configuration.GetSection(MessagingOptions.Section + ":RabbitMq"));
        services.AddRabbitMqBroker();

        // Only the configured backend is ever built: the embedded server opens no AMQP connection.
        services.TryAddSingleton<IMessageBroker>(sp => sp.GetRequiredService<IOptions<MessagingOptions>>().Value.Backend == "rabbitmq"
            ? sp.GetRequiredService<RabbitMqMessageBroker>()
            : sp.GetRequiredService<EmbeddedMessageBroker>());
        services.AddExceptionHandler<Api.BrokerUnavailableHandler>();
        services.TryAddSingleton<MessagingTopology>();
        services.TryAddSingleton<MessagingCommands>();
        services.TryAddSingleton<SubscriptionSignals>();
        services.TryAddSingleton<StreamLeases>();
        services.TryAddSingleton<ReplyWaiters>();
        services.TryAddSingleton<MessagePublisher>();
        services.TryAddSingleton<MessageReceiver>();
        services.TryAddSingleton<PushSender>();
        services.AddHostedService<MessagingHost>();
        services.AddHostedService<ArrivalSignals>();
        services.AddHostedService<PushDelivery>();
        services.AddHostedService<WorkflowTriggers>();
        return services;
    }
}
