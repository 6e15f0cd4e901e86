using System.Text.RegularExpressions;

namespace Berth.Core.Specs;

/// <summary>The name rules shared by the reader, the validator, the API and the CLI (which checks names before any request).</summary>
public static partial class SpecNames
{
    /// <summary>What a DNS label is, for error messages.</summary>
    public const string DnsLabelHint = "a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

    /// <summary>Whether <paramref name="value"/> is a DNS label: the names of agents, workflows and other specs.</summary>
    public static bool IsDnsLabel(string? value) => value is { Length: > 0 and <= 63 } && DnsLabel().IsMatch(value);

    /// <summary>Whether <paramref name="value"/> can name an environment variable.</summary>
    public static bool IsEnvName(string? value) => value is { Length: > 0 } && EnvName().IsMatch(value);

    /// <summary>Whether <paramref name="value"/> can name a secret.</summary>
    public static bool IsSecretName(string? value) => value is { Length: > 0 } && SecretName().IsMatch(value);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvName();

    [GeneratedRegex("^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
