namespace Berth.Core.Specs;

public static partial class AgentSpecValidator
{
    /// <summary>Longest <c>a2a.card</c> accepted: 256 characters.</summary>
    public const int MaximumA2aCardPathLength = 256;

    // Berth fetches the card from the instance's own address and serves it at /agents/{name}{card}: the same rules as the
    // MCP path, so the path can lead nowhere but the agent (no query, no dot segment, no backslash, no control character).
    private static void ValidateA2a(A2aSpec? a2a, Paths at, List<SpecError> errors)
    {
        if (a2a is not null && HttpPathProblem(a2a.Card, "/.well-known/agent-card.json", MaximumA2aCardPathLength) is { } problem)
        {
            errors.Add(new SpecError(at["a2a.card"], problem));
        }
    }
}
