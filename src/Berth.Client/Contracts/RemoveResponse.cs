namespace Berth.Client.Contracts;

/// <summary>The answer to removing an agent.</summary>
/// <param name="Name">The agent.</param>
/// <param name="Completed">True when every instance and resource is gone; false when removal goes on in the background.</param>
public sealed record RemoveResponse(string Name, bool Completed);
