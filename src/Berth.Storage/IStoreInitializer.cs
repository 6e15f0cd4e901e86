namespace Berth.Storage;

/// <summary>Prepares the store before first use: creates the database if missing and applies schema migrations.</summary>
public interface IStoreInitializer
{
    /// <summary>Creates the database (and its directory) if missing and applies pending migrations; safe to call again.</summary>
    /// <exception cref="InvalidOperationException">The database cannot be opened or was migrated by a newer Berth.</exception>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Where the store keeps its data, for logs and readiness output (<c>sqlite:/var/lib/berth/berth.db</c>).</summary>
    string Describe();
}
