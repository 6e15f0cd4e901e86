using Xunit.Sdk;

namespace Berth.Testing;

/// <summary>
/// Marks a test class (or test) that needs a RabbitMQ server (127.0.0.1:5672 unless <c>BERTH_TEST_RABBITMQ_URL</c> says
/// otherwise): it carries the trait <c>Requires=RabbitMq</c>, so the fast loop (<c>scripts/test.sh --fast</c>) leaves it out
/// with <c>--filter "Requires!=RabbitMq"</c>; <c>scripts/test.sh</c> installs and starts the server for the rest.
/// </summary>
[TraitDiscoverer("Berth.Testing.RequiresRabbitMqDiscoverer", "Berth.Testing")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresRabbitMqAttribute : Attribute, ITraitAttribute
{
    /// <summary>The trait's name.</summary>
    public const string TraitName = "Requires";

    /// <summary>The trait's value.</summary>
    public const string TraitValue = "RabbitMq";
}
