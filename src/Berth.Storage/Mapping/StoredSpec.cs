using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Specs;

namespace Berth.Storage.Mapping;

/// <summary>Agent specs as stored: the API's JSON (<see cref="BerthJson.Options"/>) in a text column.</summary>
internal static class StoredSpec
{
    public static string Serialize(AgentSpec spec) => JsonSerializer.Serialize(spec, BerthJson.Options);

    /// <summary>Reads the spec of the agent row <paramref name="agentName"/>.</summary>
    /// <exception cref="StoredDataException">The JSON is not a spec of that agent.</exception>
    public static AgentSpec Deserialize(string agentName, string json)
    {
        AgentSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<AgentSpec>(json, BerthJson.Options);
        }
        catch (JsonException ex)
        {
            throw StoredDataException.ForRow("agents", agentName, agentName, $"its spec is not valid agent JSON ({ex.Message})", ex);
        }

        if (spec is null)
        {
            throw StoredDataException.ForRow("agents", agentName, agentName, "its spec is JSON null");
        }

        if (!string.Equals(spec.Name, agentName, StringComparison.Ordinal))
        {
            throw StoredDataException.ForRow("agents", agentName, agentName, $"its spec names another agent, '{spec.Name}'");
        }

        return spec;
    }

    /// <summary>
    /// Whether the stored JSON describes the same spec as <paramref name="json"/>. The stored text is re-serialized first, so
    /// a spec stored by an older Berth (or reformatted) still compares equal. Unreadable stored JSON never matches, so
    /// applying a spec over a hand-broken row repairs it.
    /// </summary>
    public static bool Matches(string storedJson, string json)
    {
        if (string.Equals(storedJson, json, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<AgentSpec>(storedJson, BerthJson.Options);
            return stored is not null && string.Equals(Serialize(stored), json, StringComparison.Ordinal);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
