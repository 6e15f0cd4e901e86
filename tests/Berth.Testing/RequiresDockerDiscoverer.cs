using Xunit.Abstractions;
using Xunit.Sdk;

namespace Berth.Testing;

/// <summary>Turns <see cref="RequiresDockerAttribute"/> into the trait <c>Requires=Docker</c>; xUnit creates it by name.</summary>
public sealed class RequiresDockerDiscoverer : ITraitDiscoverer
{
    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [new(RequiresDockerAttribute.TraitName, RequiresDockerAttribute.TraitValue)];
}
