using System.Text.Json.Nodes;

namespace Berth.Server.A2a;

/// <summary>What reading an agent's card from one instance gave: the card as the agent wrote it, or why there is none.</summary>
internal sealed record AgentCardFetch(JsonObject? Card, string? Error, int Status)
{
    public static AgentCardFetch Failed(string error, int status = 502) => new(null, error, status);
}
