namespace Berth.Core.Storage;

/// <summary>
/// Named leases in the store, held by one server at a time: several servers on one database agree through them on who does
/// what only one may do (the leader lease: reconciling, scheduling, housekeeping). A lease is held until it expires unless
/// its holder renews it; any server may take one that has expired. Times come from the servers' clocks, which must be
/// synchronised (NTP): a server whose clock runs ahead takes an expired lease that much early.
/// </summary>
public interface ILeaseStore
{
    /// <summary>
    /// Takes the lease <paramref name="name"/> for <paramref name="owner"/> until <paramref name="until"/> when nobody holds
    /// it, when it expired at or before <paramref name="now"/>, or when <paramref name="owner"/> already holds it (a renewal);
    /// otherwise leaves it. Returns the lease as it is afterwards, so the caller learns who holds it.
    /// </summary>
    Task<LeaseHolder> TryHoldAsync(string name, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Gives the lease up when <paramref name="owner"/> holds it, so another server may take it at once; false otherwise.</summary>
    Task<bool> ReleaseAsync(string name, string owner, CancellationToken cancellationToken);

    /// <summary>The lease as it is now; null when nobody ever held it.</summary>
    Task<LeaseHolder?> GetAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Who holds a lease, since when (the holder's first take, not its last renewal) and until when.</summary>
public sealed record LeaseHolder(string Name, string Owner, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt)
{
    /// <summary>Whether <paramref name="owner"/> holds the lease at <paramref name="now"/>.</summary>
    public bool IsHeldBy(string owner, DateTimeOffset now) => string.Equals(Owner, owner, StringComparison.Ordinal) && ExpiresAt > now;
}
