using System.Text;
using System.Text.RegularExpressions;
using Berth.Core.Runtime;
using Berth.Core.Security;

namespace Berth.Server.Secrets;

/// <summary>Resolves secret references by decrypting from the vault. Resolved values go to the driver only; nothing here stores them.</summary>
internal sealed partial class SecretResolver(SecretVault vault) : ISecretResolver
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task<Dictionary<string, string>> ResolveAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in environment.Values.SelectMany(v => Reference().Matches(v)).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal))
        {
            values[name] = await ReadAsync(name, cancellationToken);
        }

        return values.Count == 0
            ? new Dictionary<string, string>(environment, StringComparer.Ordinal)
            : environment.ToDictionary(e => e.Key, e => Reference().Replace(e.Value, m => values[m.Groups["name"].Value]), StringComparer.Ordinal);
    }

    private async Task<string> ReadAsync(string name, CancellationToken cancellationToken)
    {
        byte[]? value;
        try
        {
            value = await vault.ReadAsync(name, cancellationToken);
        }
        catch (SecretDecryptionException ex)
        {
            throw new RuntimeException(ex.Message, RuntimeErrorKind.Config, ex);
        }

        if (value is null)
        {
            throw new RuntimeException($"secret {name} is missing: berth secrets set {name}", RuntimeErrorKind.Config);
        }

        try
        {
            var text = StrictUtf8.GetString(value);
            return text.Contains('\0', StringComparison.Ordinal)
                ? throw new RuntimeException($"secret {name} contains a NUL character, which an environment variable cannot hold; set it again without one", RuntimeErrorKind.Config)
                : text;
        }
        catch (DecoderFallbackException ex)
        {
            throw new RuntimeException($"secret {name} is not UTF-8 text, so it cannot be put in an environment variable; set it again as text (base64-encode binary values)", RuntimeErrorKind.Config, ex);
        }
    }

    [GeneratedRegex(@"\$\{secret:(?<name>[A-Za-z0-9_.-]{1,128})\}", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
