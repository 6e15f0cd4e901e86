namespace Berth.Client.Contracts;

/// <summary>One capability with every provider that declares it.</summary>
/// <param name="Name">The capability's name.</param>
/// <param name="Providers">Its providers, agents first, each with its health.</param>
public sealed record CapabilityDetail(string Name, IReadOnlyList<CapabilityProviderView> Providers);
