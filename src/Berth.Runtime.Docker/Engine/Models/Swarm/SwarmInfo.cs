namespace Berth.Runtime.Docker.Engine.Models.Swarm;

/// <summary>The part of <c>GET /info</c> about this engine's Swarm membership.</summary>
public sealed record SwarmInfo
{
    /// <summary><c>inactive</c>, <c>pending</c>, <c>active</c>, <c>error</c> or <c>locked</c>.</summary>
    public string LocalNodeState { get; init; } = "";

    public string NodeId { get; init; } = "";

    /// <summary>Whether this node is a manager (services can be created through it).</summary>
    public bool ControlAvailable { get; init; }
}

/// <summary>Body of <c>GET /info</c>, reduced to what Berth reads.</summary>
public sealed record EngineInfo
{
    public SwarmInfo Swarm { get; init; } = new();
}

/// <summary>Body of <c>POST /secrets/create</c>.</summary>
public sealed record SecretCreateRequest
{
    public required string Name { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Base64 of the secret's bytes.</summary>
    public required string Data { get; init; }
}

/// <summary>One row of <c>GET /secrets</c>.</summary>
public sealed record SecretSummary
{
    public string Id { get; init; } = "";

    public SecretSummarySpec Spec { get; init; } = new();
}

/// <summary>The name and labels of a listed secret (never its data: the engine does not return it).</summary>
public sealed record SecretSummarySpec
{
    public string Name { get; init; } = "";

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
