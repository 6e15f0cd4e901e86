namespace Berth.Core.Security;

/// <summary>What may be shown about a stored secret: its name and dates, never its value.</summary>
/// <param name="Name">The secret's name.</param>
/// <param name="CreatedAt">When it was first set (UTC).</param>
/// <param name="UpdatedAt">When its value was last set (UTC); equals <paramref name="CreatedAt"/> until it is replaced.</param>
public sealed record SecretInfo(string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
