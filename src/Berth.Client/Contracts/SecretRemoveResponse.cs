namespace Berth.Client.Contracts;

/// <summary>The answer to deleting a secret.</summary>
/// <param name="Name">The deleted secret.</param>
/// <param name="UsedBy">Agents whose spec still references it; their next start fails until the secret is set again. Empty when none.</param>
public sealed record SecretRemoveResponse(string Name, IReadOnlyList<string> UsedBy);
