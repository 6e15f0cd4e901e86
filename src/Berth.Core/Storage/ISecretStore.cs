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
}
