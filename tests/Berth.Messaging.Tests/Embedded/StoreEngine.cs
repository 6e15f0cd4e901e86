namespace Berth.Messaging.Tests.Embedded;

/// <summary>The engines the embedded broker runs on; a test class of the broker runs once per engine.</summary>
public enum StoreEngine
{
    /// <summary>A SQLite file in a temp directory.</summary>
    Sqlite,

    /// <summary>A fresh database on the scratch PostgreSQL server (<see cref="Berth.Testing.Postgres.ScratchPostgres"/>).</summary>
    Postgres,
}
