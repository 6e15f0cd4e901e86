using Xunit.Sdk;

namespace Berth.Testing;

/// <summary>
/// Marks a test class (or test) that needs a running Docker engine: it carries the trait
/// <c>Requires=Docker</c>, so the fast loop (<c>scripts/test.sh --fast</c>) leaves it out with
/// <c>--filter "Requires!=Docker"</c>. Put it on every class that reaches dockerd, directly or through a server
/// on the docker (or auto) runtime.
/// </summary>
[TraitDiscoverer("Berth.Testing.RequiresDockerDiscoverer", "Berth.Testing")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresDockerAttribute : Attribute, ITraitAttribute
{
    /// <summary>The trait's name.</summary>
    public const string TraitName = "Requires";

    /// <summary>The trait's value.</summary>
    public const string TraitValue = "Docker";
}
