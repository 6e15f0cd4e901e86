using Xunit.Sdk;

namespace Berth.Testing;

/// <summary>
/// Marks a test class (or test) that needs a PostgreSQL server (<see cref="Postgres.ScratchPostgres"/>): it carries the trait
/// <c>Requires=Postgres</c>, so the fast loop (<c>scripts/test.sh --fast</c>) leaves it out; <c>scripts/test.sh</c> starts a
/// scratch cluster for the rest.
/// </summary>
[TraitDiscoverer("Berth.Testing.RequiresPostgresDiscoverer", "Berth.Testing")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresPostgresAttribute : Attribute, ITraitAttribute
{
    /// <summary>The trait's name.</summary>
    public const string TraitName = "Requires";

    /// <summary>The trait's value.</summary>
    public const string TraitValue = "Postgres";
}
