using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// Reads an agent's tools (<c>tools/list</c>, every page) from the first of its instances that answers, and names them for
/// the gateway (<see cref="GatewayToolNames"/>). Bounded: at most <see cref="MaxTools"/> tools and <see cref="MaxPages"/> pages
/// per agent, <see cref="ReadTimeout"/> for the whole read, and <see cref="MaxToolSize"/> characters of description and
/// schemas per tool (an agent is not trusted to keep what every gateway client receives small).
/// </summary>
internal sealed class GatewayToolReader(GatewayClients clients, TimeProvider time, ILogger<GatewayToolReader> logger)
{
    public const int MaxTools = 1000;

    public const int MaxPages = 20;

    public const int MaxToolSize = 64 * 1024;

    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(20);

    public async Task<GatewayAgentTools> ReadAsync(GatewayAgent agent)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout, time);
        foreach (var endpoint in agent.Endpoints)
        {
            var address = GatewayClients.Address(endpoint, agent.McpPath);
            try
            {
                var client = await clients.GetAsync(agent.Name, address, agent.Protocol, timeout.Token);
                var tools = new List<Tool>();
                string? cursor = null;
                for (var page = 0; page < MaxPages && tools.Count < MaxTools; page++)
                {
                    var result = await client.ListToolsAsync(new ListToolsRequestParams { Cursor = cursor }, timeout.Token);
                    tools.AddRange(result.Tools.Take(MaxTools - tools.Count));
                    if ((cursor = result.NextCursor) is null)
                    {
                        break;
                    }
                }

                return new GatewayAgentTools(Name(agent.Name, tools), Failed: false, time.GetUtcNow());
            }
            catch (Exception ex)
            {
                clients.Drop(address);
                GatewayLog.ListFailed(logger, agent.Name, endpoint, timeout.IsCancellationRequested ? $"no answer within {ReadTimeout.TotalSeconds:0}s" : ex.Message);
            }
        }

        return new GatewayAgentTools([], Failed: true, time.GetUtcNow());
    }

    private List<GatewayTool> Name(string agent, List<Tool> tools)
    {
        var named = new List<GatewayTool>(tools.Count);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            var size = (tool.Title?.Length ?? 0) + (tool.Description?.Length ?? 0) + tool.InputSchema.GetRawText().Length +
                (tool.OutputSchema?.GetRawText().Length ?? 0);
            if (size > MaxToolSize)
            {
                GatewayLog.ToolTooLarge(logger, agent, tool.Name ?? "", size, MaxToolSize);
                continue;
            }

            var exposed = GatewayToolNames.Expose(agent, tool.Name ?? "");
            if (!taken.Add(exposed))
            {
                GatewayLog.ToolSkipped(logger, agent, tool.Name ?? "", exposed);
                continue;
            }

            if (!GatewayToolNames.IsVerbatim(agent, tool.Name ?? "", exposed))
            {
                GatewayLog.ToolRenamed(logger, agent, tool.Name ?? "", exposed);
            }

            named.Add(new GatewayTool(agent, tool.Name ?? "", new Tool
            {
                Name = exposed,
                Title = tool.Title,
                Description = $"[agent {agent}] {tool.Description}".TrimEnd(),
                InputSchema = tool.InputSchema,
                OutputSchema = tool.OutputSchema,
                Annotations = tool.Annotations,
            }));
        }

        return named;
    }
}
