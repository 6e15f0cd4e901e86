namespace Berth.Core.Storage;

/// <summary>The store's <see cref="StoreIdentity"/>, one per store.</summary>
public interface IStoreIdentityStore
{
    /// <summary>
    /// Stores <paramref name="proposed"/> when the store has no identity yet and returns the one stored, so servers starting at
    /// once all get the first.
    /// </summary>
    Task<StoreIdentity> GetOrAddAsync(StoreIdentity proposed, CancellationToken cancellationToken);

    /// <summary>Replaces the key check: the store is from now on written with the key <paramref name="keyCheck"/> was encrypted with.</summary>
    Task ReplaceKeyCheckAsync(byte[] keyCheck, CancellationToken cancellationToken);
}
