using Xunit.Abstractions;
using Xunit.Sdk;

namespace Berth.Testing;

/// <summary>Turns <see cref="RequiresPostgresAttribute"/> into the trait <c>Requires=Postgres</c>; xUnit creates it by name.</summary>
public sealed class RequiresPostgresDiscoverer : ITraitDiscoverer
{
    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [new(RequiresPostgresAttribute.TraitName, RequiresPostgresAttribute.TraitValue)];
}
