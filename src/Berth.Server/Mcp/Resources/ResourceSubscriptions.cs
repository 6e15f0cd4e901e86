using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Server.Agents;
using Berth.Server.Problems;
using Berth.Server.Workflows;
using Berth.Server.Workflows.Engine;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Resources;

/// <summary>
/// How clients watch resources: <c>resources/subscribe</c> and <c>resources/unsubscribe</c> for clients that initialized a
/// session (told on the session's stream), and <c>subscriptions/listen</c> for 2026-07-28 clients, which have no session:
/// the listen request's own response stream carries the acknowledgement and then every notification, each tagged with the
/// listen request's id, until the client closes it. Agents, workflows and runs can be watched; logs cannot (they change with
/// every line: read them again instead). At most <see cref="ResourceWatch.MaxUris"/> URIs per session or stream.
/// </summary>
internal static class ResourceSubscriptions
{
    public static ValueTask<EmptyResult> SubscribeAsync(RequestContext<SubscribeRequestParams> request, CancellationToken cancellationToken)
    {
        var uri = Watchable(request.Params?.Uri);
        var watch = Watches(request).Find(request.Server.SessionId)
            ?? throw new McpProtocolException("resources/subscribe needs a session (initialize first); 2026-07-28 clients use subscriptions/listen.", McpErrorCode.InvalidRequest);
        return watch.TryAdd(uri)
            ? ValueTask.FromResult(new EmptyResult())
            : throw new McpProtocolException($"This session watches {ResourceWatch.MaxUris} resources already, the most it may; unsubscribe from one first.", McpErrorCode.InvalidParams);
    }

    public static ValueTask<EmptyResult> UnsubscribeAsync(RequestContext<UnsubscribeRequestParams> request, CancellationToken cancellationToken)
    {
        if (BerthResourceUri.TryParse(request.Params?.Uri, out var parsed))
        {
            Watches(request).Find(request.Server.SessionId)?.Remove(parsed.Uri);
        }

        return ValueTask.FromResult(new EmptyResult());
    }

    public static async ValueTask<EmptyResult> ListenAsync(RequestContext<SubscriptionsListenRequestParams> request, CancellationToken cancellationToken)
    {
        var wanted = request.Params?.Notifications ?? new SubscriptionsListenNotifications();
        var uris = (wanted.ResourceSubscriptions ?? []).Select(Watchable).Distinct(StringComparer.Ordinal).ToList();
        if (uris.Count > ResourceWatch.MaxUris)
        {
            throw new McpProtocolException($"A listen stream may watch at most {ResourceWatch.MaxUris} resources; got {uris.Count}. Open another stream for the rest.", McpErrorCode.InvalidParams);
        }

        var options = request.Server.ServerOptions;
        var granted = new SubscriptionsListenNotifications
        {
            ResourcesListChanged = wanted.ResourcesListChanged == true ? true : null,
            ResourceSubscriptions = uris.Count > 0 ? uris : null,
            // This handler replaces the SDK's, so it also carries the tool and prompt list changes the SDK would.
            ToolsListChanged = wanted.ToolsListChanged == true && options.ToolCollection is not null ? true : null,
            PromptsListChanged = wanted.PromptsListChanged == true && options.PromptCollection is not null ? true : null,
        };
        var services = request.Services!;
        using var watch = new ResourceWatch(
            services.GetRequiredService<AgentChanges>(), services.GetRequiredService<WorkflowChanges>(), services.GetRequiredService<RunEventHub>(),
            notifyListChanged: granted.ResourcesListChanged == true);
        uris.ForEach(uri => watch.TryAdd(uri));
        EventHandler toolsChanged = (_, _) => watch.ListChanged(NotificationMethods.ToolListChangedNotification);
        EventHandler promptsChanged = (_, _) => watch.ListChanged(NotificationMethods.PromptListChangedNotification);
        if (granted.ToolsListChanged == true)
        {
            options.ToolCollection!.Changed += toolsChanged;
        }

        if (granted.PromptsListChanged == true)
        {
            options.PromptCollection!.Changed += promptsChanged;
        }

        var id = JsonSerializer.SerializeToNode(request.JsonRpcRequest.Id, McpJsonUtilities.DefaultOptions);
        var server = request.Server;
        Task SendAsync(string method, JsonNode? parameters, CancellationToken ct)
        {
            var body = parameters as JsonObject ?? [];
            body["_meta"] = new JsonObject { [MetaKeys.SubscriptionId] = id?.DeepClone() };
            return server.SendMessageAsync(new JsonRpcNotification { Method = method, Params = body }, ct);
        }

        await SendAsync(
            NotificationMethods.SubscriptionsAcknowledgedNotification,
            JsonSerializer.SerializeToNode(new SubscriptionsAcknowledgedNotificationParams { Notifications = granted }, McpJsonUtilities.DefaultOptions),
            cancellationToken);
        try
        {
            await watch.RunAsync(
                (uri, ct) => SendAsync(NotificationMethods.ResourceUpdatedNotification, new JsonObject { ["uri"] = uri }, ct),
                (method, ct) => SendAsync(method, null, ct),
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client closed the stream: the watch ends with it.
        }
        finally
        {
            options.ToolCollection?.Changed -= toolsChanged;
            options.PromptCollection?.Changed -= promptsChanged;
        }

        return new EmptyResult();
    }

    private static string Watchable(string? uri)
    {
        if (!BerthResourceUri.TryParse(uri, out var parsed))
        {
            throw new McpProtocolException(
                $"Cannot watch '{CallerText.Printable(uri)}': watch berth://agents/{{name}}, berth://workflows/{{name}} or berth://runs/{{id}} (resources/list shows what exists).", McpErrorCode.InvalidParams);
        }

        return parsed.Kind == BerthResourceKind.AgentLogs
            ? throw new McpProtocolException($"Cannot watch '{parsed.Uri}': logs change with every line, so they are not watched; read the resource again, or watch {BerthResourceUri.Agent(parsed.Name)}.", McpErrorCode.InvalidParams)
            : parsed.Uri;
    }

    private static SessionWatches Watches<T>(RequestContext<T> request) => request.Services!.GetRequiredService<SessionWatches>();
}
