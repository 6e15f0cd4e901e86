using Berth.Core.Storage;
using Berth.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.Server.Requests;

/// <summary>Registers the durable proxy: the group-commit journal, the dispatcher and the request handler.</summary>
internal static class RequestsServiceCollectionExtensions
{
    /// <summary>Adds the durable proxy; expects the server's <see cref="ServerId"/> to be registered.</summary>
    public static IServiceCollection AddBerthRequests(this IServiceCollection services)
    {
        services.TryAddSingleton<IPayloadProtector, CipherPayloadProtector>();
        services.TryAddSingleton<RequestJournal>();
        services.TryAddSingleton<RequestCompletions>();
        services.TryAddSingleton<RequestDispatcher>();
        services.TryAddSingleton<IdempotencyLocks>();
        services.TryAddSingleton<AttemptSender>();
        services.TryAddSingleton<DurableProxy>();
        services.TryAddSingleton<RequestCommands>();
        services.AddHostedService(sp => sp.GetRequiredService<RequestCompletions>());
        services.AddHostedService(sp => sp.GetRequiredService<RequestJournal>());
        services.AddHostedService(sp => sp.GetRequiredService<RequestDispatcher>());
        return services;
    }
}
