using System.ComponentModel;
using Berth.Client.Contracts;
using Berth.Server.Capabilities;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Tools;

/// <summary>
/// <c>find_capability</c>: the capabilities whose name, description or plugin tags match a query, each with every provider's
/// health, so an AI client can pick what to call (an agent through <c>call_agent</c>, a plugin by its plugin tool). Any caller
/// of the endpoint (a viewer) may use it: it reads what <c>/api/v1/capabilities</c> shows.
/// </summary>
[McpServerToolType]
internal sealed class CapabilityTools(CapabilityRegistry registry)
{
    /// <summary>Longest query accepted: as long as a capability name may be.</summary>
    public const int MaxQueryLength = Core.Specs.CapabilityRules.MaximumNameLength;

    /// <summary>The most capabilities one answer lists; a narrower query finds the rest.</summary>
    public const int MaxResults = 50;

    [McpServerTool(Name = "find_capability", Title = "Find a capability", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Finds capabilities declared by agents and installed plugins: an exact name, or a substring of a name, description or plugin tag (case-insensitive; empty lists all). Each match lists its providers (kind agent or plugin, name, version, input/output schemas, health, circuit breaker, calls in flight), so you can pick a healthy one.")]
    public async Task<CapabilityMatches> FindCapabilityAsync(
        [Description("A capability name like summarize, or part of a name, description or tag. Empty: every capability.")] string query = "",
        CancellationToken cancellationToken = default)
    {
        query = query.Trim();
        if (query.Length > MaxQueryLength || query.Any(char.IsControl))
        {
            throw new ToolFailure($"query must be at most {MaxQueryLength} characters without control characters, like summarize");
        }

        var providers = await registry.ListAsync(cancellationToken);
        var exact = providers.Where(p => p.Capability.Name.Equals(query, StringComparison.Ordinal)).ToList();
        var matched = exact.Count > 0 ? exact : providers.Where(p => Matches(p, query)).ToList();
        var names = matched.Select(p => p.Capability.Name).Distinct(StringComparer.Ordinal).ToList();
        var found = names.Take(MaxResults)
            .Select(name => new CapabilityDetail(name, providers.Where(p => p.Capability.Name == name).Select(p => CapabilitiesApi.View(registry, p)).ToList()))
            .ToList();
        return new CapabilityMatches(found, names.Count > MaxResults);
    }

    private static bool Matches(CapabilityProvider provider, string query) =>
        query.Length == 0 ||
        provider.Capability.Name.Contains(query, StringComparison.OrdinalIgnoreCase) ||
        provider.Capability.Description?.Contains(query, StringComparison.OrdinalIgnoreCase) == true ||
        provider.Plugin?.Spec.Tags.Any(t => t.Contains(query, StringComparison.OrdinalIgnoreCase)) == true;
}
