using System.Data.Common;

namespace Berth.Storage.Migrations;

/// <summary>The engine-specific part of running migrations: how to connect and how to lock out other writers.</summary>
internal interface IMigrationTarget
{
    /// <summary>The database, for messages (<c>sqlite:/var/lib/berth/berth.db</c>).</summary>
    string Describe();

    /// <summary>An open connection.</summary>
    Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>A transaction that no other writer (another Berth starting at the same time) can interleave with.</summary>
    Task<DbTransaction> BeginExclusiveAsync(DbConnection connection, CancellationToken cancellationToken);
}
