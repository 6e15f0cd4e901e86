namespace Berth.Runtime.Process.Isolation;

/// <summary>Where one instance runs: its user (null: the server's), its private home, its working directory and its files.</summary>
internal sealed record ConfinedLaunch(AgentUser? User, string Home, string WorkingDirectory, string? FilesDirectory);
