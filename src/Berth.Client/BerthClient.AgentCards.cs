using Berth.Client.Contracts;

namespace Berth.Client;

/// <summary>The <c>/api/v1/agent-cards</c> route: the A2A cards of the agents that declare <c>a2a</c>.</summary>
public sealed partial class BerthClient
{
    /// <summary>Every A2A agent's card with its URLs rewritten to Berth's proxy; an agent whose card cannot be read is listed with the error.</summary>
    public async Task<IReadOnlyList<AgentCardView>> ListAgentCardsAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<AgentCardView>>(HttpMethod.Get, "api/v1/agent-cards", null, cancellationToken);
}
