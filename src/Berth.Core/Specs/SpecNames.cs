using System.Text.RegularExpressions;

namespace Berth.Core.Specs;

/// <summary>The name rules shared by the reader and the validator.</summary>
internal static partial class SpecNames
{
    public const string DnsLabelHint = "a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

    public static bool IsDnsLabel(string? value) => value is { Length: > 0 and <= 63 } && DnsLabel().IsMatch(value);

    public static bool IsEnvName(string? value) => value is { Length: > 0 } && EnvName().IsMatch(value);

    public static bool IsSecretName(string? value) => value is { Length: > 0 } && SecretName().IsMatch(value);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvName();

    [GeneratedRegex("^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
