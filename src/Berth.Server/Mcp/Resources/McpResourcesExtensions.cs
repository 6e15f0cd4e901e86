using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Resources;

/// <summary>
/// Registers the <c>berth://</c> resources: listing and templates, reading, and watching them (subscriptions for clients
/// with a session, <c>subscriptions/listen</c> for 2026-07-28 clients). Resources are readable by every caller of
/// <c>/mcp</c> (a viewer at least), like the API's GET routes they mirror.
/// </summary>
internal static class McpResourcesExtensions
{
    public static IMcpServerBuilder WithBerthResources(this IMcpServerBuilder builder)
    {
        builder.Services.TryAddSingleton<AgentLogText>();
        builder.Services.TryAddSingleton<ResourceReader>();
        builder.Services.TryAddSingleton<ResourceCatalog>();
        builder.Services.TryAddSingleton<SessionWatches>();
        builder.Services.Configure<McpServerOptions>(options =>
        {
            options.Capabilities ??= new ServerCapabilities();
            options.Capabilities.Resources = new ResourcesCapability { Subscribe = true, ListChanged = true };
        });
#pragma warning disable MCPEXP002 // RunSessionHandler is the SDK's only hook that sees a session end; a watch must end with it.
        builder.Services.Configure<HttpServerTransportOptions>(options =>
        {
            // The SDK runs each session through this hook; a session's watch ends with it. Another hook set earlier still runs inside.
            var inner = options.RunSessionHandler;
            options.RunSessionHandler = (context, server, cancellationToken) =>
                context.RequestServices.GetRequiredService<SessionWatches>().RunSessionAsync(
                    server, ct => inner is null ? server.RunAsync(ct) : inner(context, server, ct), cancellationToken);
        });
#pragma warning restore MCPEXP002

        return builder
            .WithListResourcesHandler(async (request, ct) => await request.Services!.GetRequiredService<ResourceCatalog>().ListAsync(request.Params?.Cursor, ct))
            .WithListResourceTemplatesHandler((_, _) => ValueTask.FromResult(ResourceCatalog.ListTemplates()))
            .WithReadResourceHandler(async (request, ct) =>
                await request.Services!.GetRequiredService<ResourceReader>().ReadAsync(request.Params?.Uri, request.Server.NegotiatedProtocolVersion, ct))
            .WithSubscribeToResourcesHandler(ResourceSubscriptions.SubscribeAsync)
            .WithUnsubscribeFromResourcesHandler(ResourceSubscriptions.UnsubscribeAsync)
            .WithSubscriptionsListenHandler(ResourceSubscriptions.ListenAsync);
    }
}
