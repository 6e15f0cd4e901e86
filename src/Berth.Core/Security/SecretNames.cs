using Berth.Core.Specs;

namespace Berth.Core.Security;

/// <summary>What a secret may be called: 1 to 128 letters, digits, <c>_</c>, <c>.</c> and <c>-</c>.</summary>
public static class SecretNames
{
    /// <summary>The longest name allowed: 128 characters.</summary>
    public const int MaxLength = 128;

    /// <summary>A sentence describing valid names, for error messages.</summary>
    public const string Rule = "1 to 128 letters, digits, '_', '.' or '-'";

    /// <summary>True when <paramref name="name"/> is a valid secret name.</summary>
    public static bool IsValid(string? name) => name is { Length: <= MaxLength } && SecretReference.IsValidName(name);
}
