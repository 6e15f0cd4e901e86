namespace Berth.Runtime.Process.State;

/// <summary>What <c>instance.json</c> records so a restarted server can re-adopt (or report) an instance.</summary>
internal sealed record ProcessInstanceRecord
{
    public required string InstanceId { get; init; }

    public required string AgentName { get; init; }

    public required int Ordinal { get; init; }

    public required long Generation { get; init; }

    public required int Pid { get; init; }

    /// <summary>Field 22 of <c>/proc/{pid}/stat</c>; 0 when the process ended before it could be read.</summary>
    public required long ProcessStartTime { get; init; }

    public required int Port { get; init; }

    /// <summary>The resolved command and the arguments as the spec wrote them, before <c>$(VAR)</c> expansion, so no env value reaches the disk.</summary>
    public required IReadOnlyList<string> CommandLine { get; init; }

    public required string WorkingDirectory { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Known only when this server saw the exit of its own child.</summary>
    public int? ExitCode { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }
}
