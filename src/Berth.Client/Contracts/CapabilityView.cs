namespace Berth.Client.Contracts;

/// <summary>One capability in the registry: its name, the versions its providers declare, and how many of them can take a call now.</summary>
/// <param name="Name">The capability's name, like <c>summarize</c>.</param>
/// <param name="Versions">The distinct versions its providers declare, ascending; empty when none declares one.</param>
/// <param name="Providers">How many agents and installed plugin versions declare it.</param>
/// <param name="Healthy">How many of them can take a call now: agents with a healthy instance, and installed plugins (a cold pool starts on its first call).</param>
public sealed record CapabilityView(string Name, IReadOnlyList<string> Versions, int Providers, int Healthy);
