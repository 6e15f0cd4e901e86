using System.Text.Json.Nodes;

namespace Berth.Client.Contracts;

/// <summary>One A2A agent's card as Berth serves it: the URLs in it lead through Berth's proxy.</summary>
/// <param name="Agent">The agent's name.</param>
/// <param name="CardUrl">Where an A2A client reads the card through Berth: <c>{berth}/agents/{name}{a2a.card}</c>.</param>
/// <param name="Card">The card with its interface URLs rewritten to Berth's proxy; null when it could not be fetched.</param>
/// <param name="Skills">The card's skill ids as capability names (letters, digits, '-', '_' and '.'); empty without a card.</param>
/// <param name="Error">Why the card could not be fetched (no healthy instance, not JSON, too large…); null when it was.</param>
/// <param name="FetchedAt">When Berth read the card from the agent (cards are kept briefly); null when it could not.</param>
public sealed record AgentCardView(string Agent, string CardUrl, JsonObject? Card, IReadOnlyList<string> Skills, string? Error, DateTimeOffset? FetchedAt);
