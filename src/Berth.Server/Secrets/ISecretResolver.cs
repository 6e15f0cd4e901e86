namespace Berth.Server.Secrets;

/// <summary>Turns <c>${secret:NAME}</c> references in an agent's env values and files into values, at launch only.</summary>
internal interface ISecretResolver
{
    /// <summary>
    /// A copy of <paramref name="environment"/> with every reference replaced by the secret's value; a value may mix text and
    /// references. Throws <see cref="Core.Runtime.RuntimeException"/> of kind Config naming a missing or unreadable secret.
    /// </summary>
    Task<Dictionary<string, string>> ResolveAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken);

    /// <summary>
    /// The bytes of each file: a content that is exactly one reference is the secret's bytes as stored (binary is fine);
    /// otherwise the UTF-8 text with every reference replaced. Throws like <see cref="ResolveAsync"/>.
    /// </summary>
    Task<Dictionary<string, byte[]>> ResolveFilesAsync(IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken);
}
