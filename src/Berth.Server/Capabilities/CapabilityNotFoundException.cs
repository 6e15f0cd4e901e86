namespace Berth.Server.Capabilities;

/// <summary>No applied agent declares the capability a call asked for (perhaps only plugins do): nothing to route to, now or on a retry.</summary>
internal sealed class CapabilityNotFoundException : Exception
{
    public CapabilityNotFoundException()
    {
    }

    public CapabilityNotFoundException(string message)
        : base(message)
    {
    }

    public CapabilityNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The message for <paramref name="capability"/>, saying whether plugins provide it.</summary>
    public static CapabilityNotFoundException For(string capability, bool pluginsProvideIt) => new(pluginsProvideIt
        ? $"No agent declares capability '{capability}'; only plugins do, so call it with a plugin step (plugin: {{capability: {capability}}})."
        : $"No agent declares capability '{capability}'. List capabilities with 'berth capabilities ls', or declare it in an agent's spec (capabilities: [{capability}]).");
}
