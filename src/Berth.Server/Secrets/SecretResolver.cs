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
        var values = await ReadReferencedAsync(environment.Values, cancellationToken);
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            var text = Substitute(value, values, "in an environment variable");
            resolved[name] = text.Contains('\0', StringComparison.Ordinal)
                ? throw new RuntimeException($"env {name} would contain a NUL character from a secret, which an environment variable cannot hold; put the secret in a file instead", RuntimeErrorKind.Config)
                : text;
        }

        return resolved;
    }

    public async Task<Dictionary<string, byte[]>> ResolveFilesAsync(IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var values = await ReadReferencedAsync(files.Values, cancellationToken);
        var resolved = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, content) in files)
        {
            resolved[path] = Reference().Match(content) is { Success: true } whole && whole.Length == content.Length
                ? values[whole.Groups["name"].Value]
                : Encoding.UTF8.GetBytes(Substitute(content, values, "inside text"));
        }

        return resolved;
    }

    private async Task<Dictionary<string, byte[]>> ReadReferencedAsync(IEnumerable<string> texts, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in texts.SelectMany(t => Reference().Matches(t)).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal))
        {
            values[name] = await ReadAsync(name, cancellationToken);
        }

        return values;
    }

    private static string Substitute(string text, Dictionary<string, byte[]> values, string where) =>
        Reference().Replace(text, m => AsText(m.Groups["name"].Value, values[m.Groups["name"].Value], where));

    private static string AsText(string name, byte[] value, string where)
    {
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException ex)
        {
            throw new RuntimeException(
                $"secret {name} is not UTF-8 text, so it cannot be used {where}; give it a file of its own (content exactly ${{secret:{name}}}) or set it again as text",
                RuntimeErrorKind.Config,
                ex);
        }
    }

    private async Task<byte[]> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await vault.ReadAsync(name, cancellationToken)
                ?? throw new RuntimeException($"secret {name} is missing: berth secrets set {name}", RuntimeErrorKind.Config);
        }
        catch (SecretDecryptionException ex)
        {
            throw new RuntimeException(ex.Message, RuntimeErrorKind.Config, ex);
        }
    }

    [GeneratedRegex(@"\$\{secret:(?<name>[A-Za-z0-9_.-]{1,128})\}", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
