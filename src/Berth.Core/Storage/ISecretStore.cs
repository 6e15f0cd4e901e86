using Berth.Core.Security;

namespace Berth.Core.Storage;

/// <summary>Encrypted secret values by name. The store holds ciphertext only; encryption happens before <see cref="SetAsync"/>.</summary>
public interface ISecretStore
{
    /// <summary>Creates the secret or replaces its ciphertext; <see cref="SecretInfo.CreatedAt"/> survives a replacement.</summary>
    Task<SecretSetResult> SetAsync(string name, byte[] ciphertext, CancellationToken cancellationToken);

    /// <summary>The stored ciphertext of the secret, or null when there is no such secret.</summary>
    Task<byte[]?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every secret's name and dates (never values), ordered by name.</summary>
    Task<IReadOnlyList<SecretInfo>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the secret; false when there was none.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// The store's key check, a value encrypted with the key the store was first written with: stores <paramref name="proposed"/>
    /// when there is none yet and returns what is stored, so servers starting at once agree on the first one.
    /// </summary>
    Task<byte[]> GetOrAddKeyCheckAsync(byte[] proposed, CancellationToken cancellationToken);

    /// <summary>Replaces the key check: the store is from now on written with the key <paramref name="check"/> was encrypted with.</summary>
    Task ReplaceKeyCheckAsync(byte[] check, CancellationToken cancellationToken);
}
