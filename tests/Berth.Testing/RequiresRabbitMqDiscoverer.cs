using Xunit.Abstractions;
using Xunit.Sdk;

namespace Berth.Testing;

/// <summary>Turns <see cref="RequiresRabbitMqAttribute"/> into the trait <c>Requires=RabbitMq</c>; xUnit creates it by name.</summary>
public sealed class RequiresRabbitMqDiscoverer : ITraitDiscoverer
{
    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [new(RequiresRabbitMqAttribute.TraitName, RequiresRabbitMqAttribute.TraitValue)];
}
