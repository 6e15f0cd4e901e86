namespace Berth.Runtime.Docker.Engine.Models.Swarm;

/// <summary>A service as <c>GET /services/{id}</c> and <c>GET /services</c> report it.</summary>
public sealed record ServiceInspect
{
    public string Id { get; init; } = "";

    public ObjectVersion Version { get; init; } = new();

    public ServiceSpec? Spec { get; init; }
}

/// <summary>The version an update must name, so it applies only to the spec it read.</summary>
public sealed record ObjectVersion
{
    public long Index { get; init; }
}
