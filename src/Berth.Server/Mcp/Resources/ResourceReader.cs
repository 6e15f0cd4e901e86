using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Server.Agents;
using Berth.Server.Problems;
using Berth.Server.Workflows.Api;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp.Resources;

/// <summary>
/// Reads a <c>berth://</c> resource with the API's own view code (<see cref="AgentCommands.ViewAsync"/>, the stored workflow
/// record, <see cref="RunViews.Detail"/>), so a resource shows exactly what <c>GET /api/v1/…</c> answers. A URI that names
/// nothing is the protocol's resource-not-found error, naming the URI and where to find what exists.
/// </summary>
internal sealed class ResourceReader(AgentCommands commands, IAgentStore agents, IWorkflowStore workflows, IRunStore runs, AgentLogText logs)
{
    public const string Json = "application/json";
    public const string Text = "text/plain";

    public async Task<ReadResourceResult> ReadAsync(string? uri, string? protocolVersion, CancellationToken cancellationToken)
    {
        if (!BerthResourceUri.TryParse(uri, out var parsed))
        {
            throw NotFound(uri, protocolVersion, "it is not a Berth resource URI (berth://agents/{name}, berth://agents/{name}/logs, berth://workflows/{name} or berth://runs/{id})");
        }

        var contents = parsed.Kind switch
        {
            BerthResourceKind.Agent => await commands.ViewAsync(parsed.Name, cancellationToken) is { } view
                ? Serialize(parsed.Uri, view)
                : null,
            BerthResourceKind.AgentLogs => await agents.GetAsync(parsed.Name, cancellationToken) is { Plugin: null } agent
                ? new TextResourceContents { Uri = parsed.Uri, MimeType = Text, Text = await logs.ReadAsync(agent, cancellationToken) }
                : null,
            BerthResourceKind.Workflow => await workflows.GetAsync(parsed.Name, cancellationToken) is { } workflow
                ? Serialize(parsed.Uri, workflow)
                : null,
            _ => await runs.GetAsync(parsed.Name, cancellationToken) is { } run
                ? Serialize(parsed.Uri, RunViews.Detail(run, await runs.GetStepsAsync(parsed.Name, cancellationToken)))
                : null,
        };

        return contents is null
            ? throw NotFound(uri, protocolVersion, Missing(parsed))
            : new ReadResourceResult { Contents = [contents], TimeToLive = TimeSpan.Zero, CacheScope = CacheScope.Private };
    }

    /// <summary>The protocol's error for a URI that names nothing: -32002 for clients of 2025, -32602 from 2026-07-28 on.</summary>
    public static McpProtocolException NotFound(string? uri, string? protocolVersion, string why)
    {
        // 2026-07-28 replaced the resource-specific code with JSON-RPC's invalid params; versions are dates, so they compare as text.
        var code = string.CompareOrdinal(protocolVersion ?? "", "2026-07-28") >= 0 ? McpErrorCode.InvalidParams : McpErrorCode.ResourceNotFound;
        var shown = CallerText.Printable(uri);
        var error = new McpProtocolException($"Resource not found: '{shown}': {why}. List what exists with resources/list (templates with resources/templates/list).", code);
        error.Data["uri"] = shown; // the error's data names the URI, for clients that match errors to requests by it
        return error;
    }

    private static string Missing(BerthResourceUri uri) => uri.Kind switch
    {
        BerthResourceKind.Agent or BerthResourceKind.AgentLogs => $"no agent named '{uri.Name}' (berth get agents lists them)",
        BerthResourceKind.Workflow => $"no workflow named '{uri.Name}' (berth workflows ls lists them)",
        _ => $"no run with id '{uri.Name}' (berth runs ls lists them)",
    };

    private static TextResourceContents Serialize<T>(string uri, T value) =>
        new() { Uri = uri, MimeType = Json, Text = JsonSerializer.Serialize(value, BerthJson.Options) };
}
