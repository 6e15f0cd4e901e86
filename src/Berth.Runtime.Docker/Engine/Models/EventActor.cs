namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>The object an event is about, with its labels and name in <see cref="Attributes"/>.</summary>
public sealed record EventActor
{
    public string ID { get; init; } = "";

    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}
