using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// <c>find_tools</c> {query, limit}: for clients that cannot take hundreds of tools, the gateway's tools that best fit a few
/// words. Each word of the query found in a tool's name counts 3, in its title or description 1; ties go by name.
/// </summary>
internal static class FindTools
{
    public const string Name = "find_tools";

    public const int MaxQueryLength = 200;

    public const int MaxLimit = 50;

    public const int DefaultLimit = 10;

    public static Tool Definition { get; } = new()
    {
        Name = Name,
        Title = "Find tools",
        Description = "Finds the tools of the MCP agents Berth runs that fit a few words (matched against names, titles and descriptions); returns their names, descriptions and input schemas, best first.",
        InputSchema = JsonDocument.Parse($$$"""
            {"type":"object","properties":{
              "query":{"type":"string","description":"Words to look for, like 'weather forecast'.","minLength":1,"maxLength":{{{MaxQueryLength}}}},
              "limit":{"type":"integer","description":"Most tools to return, 1 to {{{MaxLimit}}}; default {{{DefaultLimit}}}.","minimum":1,"maximum":{{{MaxLimit}}}}},
             "required":["query"],"additionalProperties":false}
            """).RootElement.Clone(),
        Annotations = new ToolAnnotations { ReadOnlyHint = true, IdempotentHint = true, DestructiveHint = false, OpenWorldHint = false },
    };

    public static CallToolResult Run(IDictionary<string, JsonElement>? arguments, IReadOnlyList<GatewayTool> tools)
    {
        var query = arguments?.TryGetValue("query", out var q) == true && q.ValueKind == JsonValueKind.String ? q.GetString()! : "";
        if (query.Trim().Length == 0 || query.Length > MaxQueryLength)
        {
            return new ToolFailure($"find_tools needs a query of 1 to {MaxQueryLength} characters, like {{\"query\": \"weather\"}}.").ToResult();
        }

        var limit = DefaultLimit;
        if (arguments?.TryGetValue("limit", out var l) == true && !(l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out limit) && limit is >= 1 and <= MaxLimit))
        {
            return new ToolFailure($"find_tools takes a limit from 1 to {MaxLimit} (default {DefaultLimit}).").ToResult();
        }

        var words = query.ToLowerInvariant().Split([' ', '\t', ',', '.', '_', '-', '/'], StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        var found = tools
            .Select(t => (Tool: t, Score: Score(t.Exposed, words)))
            .Where(s => s.Score > 0)
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Tool.Name, StringComparer.Ordinal)
            .Take(limit)
            .Select(s => new Found(s.Tool.Name, s.Tool.Agent, s.Tool.Exposed.Title, s.Tool.Exposed.Description, s.Tool.Exposed.InputSchema))
            .ToList();
        var answer = JsonSerializer.SerializeToElement(new Answer(found, found.Count == 0 ? $"No tool fits '{query}'." : null), GatewayJson.Default.Answer);
        return new CallToolResult { Content = [new TextContentBlock { Text = answer.GetRawText() }], StructuredContent = answer };
    }

    private static int Score(Tool tool, List<string> words)
    {
        var name = tool.Name.ToLowerInvariant();
        var text = $"{tool.Title} {tool.Description}".ToLowerInvariant();
        return words.Sum(w => (name.Contains(w, StringComparison.Ordinal) ? 3 : 0) + (text.Contains(w, StringComparison.Ordinal) ? 1 : 0));
    }

    internal sealed record Found(string Name, string Agent, string? Title, string? Description, JsonElement InputSchema);

    internal sealed record Answer(IReadOnlyList<Found> Tools, string? Note);
}
