namespace Berth.Bench.Workflows;

/// <summary>The engine's own record of a container's life: when it was created, started, died and removed, and its labels.</summary>
internal sealed class ContainerEvents(string id, IReadOnlyDictionary<string, string> labels)
{
    public string Id { get; } = id;

    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    public DateTimeOffset? Create { get; private set; }

    public DateTimeOffset? Start { get; private set; }

    public DateTimeOffset? Die { get; private set; }

    public DateTimeOffset? Destroy { get; private set; }

    public bool Complete => Create is not null && Start is not null && Die is not null && Destroy is not null;

    public void Record(string? action, DateTimeOffset time)
    {
        switch (action)
        {
            case "create": Create = time; break;
            case "start": Start = time; break;
            case "die": Die = time; break;
            case "destroy": Destroy = time; break;
        }
    }
}
