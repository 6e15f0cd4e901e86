namespace Berth.Core.Workflows.Runs;

/// <summary>A file's content in the artifact store: its SHA-256 (lowercase hex) and size.</summary>
public sealed record ArtifactRef(string Sha256, long Size);
