namespace Berth.Core.Security;

/// <summary>The outcome of storing a secret.</summary>
/// <param name="Secret">The stored secret's name and dates.</param>
/// <param name="Created">True when the name was new; false when an existing value was replaced.</param>
public sealed record SecretSetResult(SecretInfo Secret, bool Created);
