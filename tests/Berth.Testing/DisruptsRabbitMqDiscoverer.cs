using Xunit.Abstractions;
using Xunit.Sdk;

namespace Berth.Testing;

/// <summary>Turns <see cref="DisruptsRabbitMqAttribute"/> into the trait <c>Disrupts=RabbitMq</c>; xUnit creates it by name.</summary>
public sealed class DisruptsRabbitMqDiscoverer : ITraitDiscoverer
{
    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [new(DisruptsRabbitMqAttribute.TraitName, DisruptsRabbitMqAttribute.TraitValue)];
}
