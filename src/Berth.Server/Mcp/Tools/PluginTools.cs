using System.ComponentModel;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Storage;
using Berth.Server.Plugins.Api;
using Berth.Server.Plugins.Execution;
using Berth.Server.Security;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Tools;

/// <summary>
/// The plugin tools: <c>list_plugins</c> (any caller: what <c>/api/v1/plugins</c> shows, with the newest version's schemas so
/// a model can write inputs) and <c>invoke_plugin</c> (operators: a call through the plugin invoker, as
/// <c>POST /api/v1/plugins/{reference}/invoke</c> makes it, failing with the message the CLI prints).
/// </summary>
[McpServerToolType]
internal sealed class PluginTools(IPluginStore store, PluginInvoker invoker)
{
    /// <summary>Longest plugin reference accepted, as <c>PluginReference</c> takes it.</summary>
    public const int MaxReferenceLength = 200;

    [McpServerTool(Name = "list_plugins", Title = "List plugins", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Lists every installed plugin: its versions (newest first), what it does, its capabilities and tags, and the newest version's input and output JSON schemas, so you can call invoke_plugin with inputs that fit.")]
    public async Task<PluginList> ListPluginsAsync(CancellationToken cancellationToken) =>
        new([.. (await store.ListAsync(null, cancellationToken))
            .GroupBy(p => p.Id, StringComparer.Ordinal)
            .Select(g => PluginToolSummary.Of(PluginViews.Newest(g)))
            .OrderBy(s => s.Id, StringComparer.Ordinal)]);

    [McpServerTool(Name = "invoke_plugin", Title = "Invoke a plugin", ReadOnly = false, Idempotent = false, Destructive = false, OpenWorld = true, UseStructuredContent = true)]
    [Description(
        "Calls an installed plugin with inputs and returns its outputs, the version that served the call, the invocation id, the " +
        "duration and the attempts made. The inputs are checked against the plugin's input schema first (see list_plugins); a " +
        "transient failure is retried on another instance. Fails with the reason: not installed, inputs that break the schema " +
        "(each field named), the plugin's own error class and message, no instance available, or a timeout. Needs the operator role.")]
    [ToolPolicy(BerthPolicies.Operator)]
    public async Task<PluginInvokeResponse> InvokePluginAsync(
        RequestContext<CallToolRequestParams> request,
        [Description("The plugin: its id (the newest version), id@1.2.0 (that version) or id@^1 (the newest in a range).")] string id,
        [Description("The inputs, a JSON object matching the plugin's input schema.")] JsonObject? inputs = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxReferenceLength)
        {
            throw new ToolFailure($"id must name a plugin like text-analysis, text-analysis@1.2.0 or text-analysis@^1 (at most {MaxReferenceLength} characters)");
        }

        try
        {
            var result = await invoker.InvokeAsync(id, inputs ?? [], new PluginCaller(request.User?.Identity?.Name ?? "unknown"), cancellationToken);
            return result.ToResponse();
        }
        catch (PluginCallException ex)
        {
            throw ToolFailure.From(PluginCallProblems.For(ex));
        }
    }
}
