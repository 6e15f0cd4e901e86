namespace Berth.Core.Specs;

/// <summary>Linux capabilities of a container agent; every capability is dropped first, then <see cref="Add"/> is granted.</summary>
public sealed record CapabilitySpec
{
    /// <summary>Capabilities to grant, like <c>NET_BIND_SERVICE</c> (upper case, without <c>CAP_</c>, once read). Default empty.</summary>
    public IReadOnlyList<string> Add { get; set; } = [];
}
