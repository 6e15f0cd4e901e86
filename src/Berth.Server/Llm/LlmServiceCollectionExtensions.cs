using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;

namespace Berth.Server.Llm;

/// <summary>Registers the LLM gateway: <c>services.AddBerthLlmGateway()</c>.</summary>
internal static class LlmServiceCollectionExtensions
{
    public static IServiceCollection AddBerthLlmGateway(this IServiceCollection services)
    {
        services.TryAddSingleton<ModelEndpointCatalog>();
        services.TryAddSingleton<ProviderKeys>();
        services.TryAddSingleton<EndpointLimiters>();
        services.TryAddSingleton<LlmResponses>();
        services.TryAddSingleton<UpstreamSender>();
        services.TryAddSingleton<LlmGateway>();
        services.TryAddSingleton<UsageReports>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, LlmCallerAuthorizationHandler>());
        services.AddHostedService<LlmReservationSweep>();
        services.AddHostedService<LlmBudgetCounterSweep>();

        // No redirects (a provider that redirects is misconfigured, and the key must not follow it), no cookies, and no
        // decompression: the answer passes through as the provider sent it. The system proxy is honoured (egress often needs one).
        // No logging handlers: the gateway records every call in the ledger, and request URLs would only repeat it.
        services.AddHttpClient(UpstreamSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .RemoveAllLoggers();
        return services;
    }
}
