using Xunit.Sdk;

namespace Berth.Testing;

/// <summary>
/// Marks a test that reads the SQLite file itself (its bytes, its size on a full disk, its permissions): it carries the trait
/// <c>Store=Sqlite</c>, and the pass of the server's tests on PostgreSQL (<c>BERTH_TEST_STORE=postgres</c>) leaves it out.
/// </summary>
[TraitDiscoverer("Berth.Testing.SqliteOnlyDiscoverer", "Berth.Testing")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class SqliteOnlyAttribute : Attribute, ITraitAttribute
{
    /// <summary>The trait's name.</summary>
    public const string TraitName = "Store";

    /// <summary>The trait's value.</summary>
    public const string TraitValue = "Sqlite";
}
