namespace Berth.Core.Specs;

/// <summary>A host path no volume may mount, nor any directory above it.</summary>
/// <param name="Path">Absolute host path, like the server's data directory.</param>
/// <param name="Holds">What it holds, for the error message: <c>Berth's data directory (tokens, secrets key, database)</c>.</param>
public sealed record ProtectedHostPath(string Path, string Holds);
