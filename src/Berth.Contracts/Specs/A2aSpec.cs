namespace Berth.Core.Specs;

/// <summary>Declares that an agent speaks A2A: Berth serves its agent card through the proxy with Berth's URLs in it.</summary>
public sealed record A2aSpec
{
    /// <summary>Path of the agent card on the agent, starting with '/'. Default <c>/.well-known/agent-card.json</c>.</summary>
    public string Card { get; set; } = "/.well-known/agent-card.json";
}
