namespace Berth.Server.Secrets;

/// <summary>Turns <c>${secret:NAME}</c> references in an agent's environment into values, at launch only.</summary>
internal interface ISecretResolver
{
    /// <summary>
    /// A copy of <paramref name="environment"/> with every reference replaced by the secret's value; a value may mix text and
    /// references. Throws <see cref="Core.Runtime.RuntimeException"/> of kind Config naming a missing or unreadable secret.
    /// </summary>
    Task<Dictionary<string, string>> ResolveAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken);
}
