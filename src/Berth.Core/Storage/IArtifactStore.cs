using Berth.Core.Workflows.Runs;

namespace Berth.Core.Storage;

/// <summary>Content-addressed file contents (step output files): stored once per SHA-256, read back by it.</summary>
public interface IArtifactStore
{
    /// <summary>Stores <paramref name="content"/> (a no-op when already stored) and returns its address.</summary>
    Task<ArtifactRef> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The content stored under <paramref name="sha256"/>, or null.</summary>
    Task<byte[]?> GetAsync(string sha256, CancellationToken cancellationToken);
}
