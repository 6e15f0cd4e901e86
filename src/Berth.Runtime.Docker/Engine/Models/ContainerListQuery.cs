namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Which containers <c>GET /containers/json</c> returns.</summary>
public sealed record ContainerListQuery
{
    /// <summary>Include stopped containers. Default true.</summary>
    public bool All { get; init; } = true;

    /// <summary>Labels that must be present, as <c>key</c> or <c>key=value</c>.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Container names (substring match, as the engine does).</summary>
    public IReadOnlyList<string> Names { get; init; } = [];
}
