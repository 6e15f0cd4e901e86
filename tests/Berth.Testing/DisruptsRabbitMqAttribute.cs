using Xunit.Sdk;

namespace Berth.Testing;

/// <summary>
/// Marks a test class that stops the test RabbitMQ server or changes its settings: it carries the trait
/// <c>Disrupts=RabbitMq</c>, and <c>scripts/test.sh</c> runs such tests alone after every other test, since test assemblies
/// run in parallel and xUnit collections do not reach across them. Put <see cref="RequiresRabbitMqAttribute"/> on it too.
/// </summary>
[TraitDiscoverer("Berth.Testing.DisruptsRabbitMqDiscoverer", "Berth.Testing")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class DisruptsRabbitMqAttribute : Attribute, ITraitAttribute
{
    /// <summary>The trait's name.</summary>
    public const string TraitName = "Disrupts";

    /// <summary>The trait's value.</summary>
    public const string TraitValue = "RabbitMq";
}
