using Berth.Client.Contracts;

namespace Berth.Server.Mcp.Tools;

/// <summary>What <c>find_capability</c> answers.</summary>
/// <param name="Capabilities">The matching capabilities with their providers, by name.</param>
/// <param name="Truncated">True when more matched than one answer lists.</param>
internal sealed record CapabilityMatches(IReadOnlyList<CapabilityDetail> Capabilities, bool Truncated);
