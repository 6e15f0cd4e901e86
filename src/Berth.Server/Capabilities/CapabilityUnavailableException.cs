namespace Berth.Server.Capabilities;

/// <summary>
/// Agents declare the capability, but none could take the call: none had a healthy instance, their breakers were open, or
/// each failed transiently without an answer to pass on. Worth retrying later.
/// </summary>
internal sealed class CapabilityUnavailableException : Exception
{
    public CapabilityUnavailableException()
    {
    }

    public CapabilityUnavailableException(string message)
        : base(message)
    {
    }

    public CapabilityUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when every provider was skipped because its circuit breaker was open.</summary>
    public bool AllCircuitsOpen { get; private init; }

    public static CapabilityUnavailableException For(string capability, IReadOnlyList<string> failures, bool allCircuitsOpen) =>
        new($"No provider of capability '{capability}' could take the call: {string.Join("; ", failures)}. See 'berth capabilities describe {capability}', or retry shortly.")
        {
            AllCircuitsOpen = allCircuitsOpen,
        };
}
