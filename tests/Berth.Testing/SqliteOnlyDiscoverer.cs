using Xunit.Abstractions;
using Xunit.Sdk;

namespace Berth.Testing;

/// <summary>Turns <see cref="SqliteOnlyAttribute"/> into the trait <c>Store=Sqlite</c>; xUnit creates it by name.</summary>
public sealed class SqliteOnlyDiscoverer : ITraitDiscoverer
{
    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [new(SqliteOnlyAttribute.TraitName, SqliteOnlyAttribute.TraitValue)];
}
