namespace Berth.Core.Messaging;

/// <summary>
/// A workflow trigger: each message published to <see cref="Topic"/> whose attributes match <see cref="Filter"/> starts one run,
/// with the message as <c>${{ trigger.message }}</c>. The message is acked once the run exists.
/// </summary>
public sealed record MessageTriggerSpec
{
    /// <summary>The topic whose messages start runs. Required.</summary>
    public string Topic { get; set; } = string.Empty;

    /// <summary>Attributes a message must carry, each with exactly this value. Empty (the default): every message.</summary>
    public IReadOnlyDictionary<string, string> Filter { get; set; } = new Dictionary<string, string>();
}
