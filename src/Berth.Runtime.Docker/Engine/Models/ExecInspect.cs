namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>The parts of <c>GET /exec/{id}/json</c> Berth reads.</summary>
public sealed record ExecInspect
{
    public string ID { get; init; } = "";

    public bool Running { get; init; }

    /// <summary>Null while running.</summary>
    public int? ExitCode { get; init; }

    public int Pid { get; init; }
}
