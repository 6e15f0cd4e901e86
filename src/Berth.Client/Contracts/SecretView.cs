namespace Berth.Client.Contracts;

/// <summary>A stored secret as the API shows it: name and dates only; the value is never sent back.</summary>
/// <param name="Name">The secret's name.</param>
/// <param name="CreatedAt">When it was first set (UTC).</param>
/// <param name="UpdatedAt">When its value was last set (UTC).</param>
public sealed record SecretView(string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
