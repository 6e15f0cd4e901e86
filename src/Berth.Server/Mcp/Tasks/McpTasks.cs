using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Tasks;

/// <summary>
/// Wires the tasks extension into Berth's MCP server: advertised under <c>capabilities.extensions</c>, task creation for
/// <see cref="TaskSupportAttribute"/> tools, and the <c>tasks/*</c> methods over Berth's store (the SDK keeps tasks only in
/// memory, so Berth serves the extension itself).
/// </summary>
internal static class McpTasks
{
    public static IServiceCollection AddBerthMcpTasks(this IServiceCollection services)
    {
        services.TryAddSingleton<McpTaskStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMcpTaskSource, RunTaskSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMcpTaskSource, RequestTaskSource>());
        services.TryAddSingleton<CallAgentTasks>();
        services.Configure<McpServerOptions>(options =>
        {
            options.Capabilities ??= new ServerCapabilities();
            options.Capabilities.Extensions ??= new Dictionary<string, object>();
            options.Capabilities.Extensions[TasksExtension.Id] = new JsonObject();
            options.Filters.Request.CallToolWithAlternateFilters.Add(TaskCreation.FilterAsync);
            options.RequestHandlers ??= [];
            foreach (var handler in TaskMethods.All())
            {
                options.RequestHandlers.Add(handler);
            }
        });
        return services;
    }
}
