namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>What <c>GET /version</c> reports about the engine.</summary>
public sealed record EngineVersion
{
    public string Version { get; init; } = "";

    public string ApiVersion { get; init; } = "";

    public string MinAPIVersion { get; init; } = "";

    public string Os { get; init; } = "";

    public string Arch { get; init; } = "";

    public string KernelVersion { get; init; } = "";
}
