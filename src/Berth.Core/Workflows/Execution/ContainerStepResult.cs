namespace Berth.Core.Workflows.Execution;

/// <summary>How a step container ended, and what it left behind.</summary>
public sealed record ContainerStepResult
{
    /// <summary>The exit code.</summary>
    public required int ExitCode { get; init; }

    /// <summary>Whether the kernel killed it for memory.</summary>
    public bool OomKilled { get; init; }

    /// <summary>Its standard output (at most 1 MiB kept: the rest is cut).</summary>
    public required string Stdout { get; init; }

    /// <summary>The last lines of its standard output and error together.</summary>
    public required string LogTail { get; init; }

    /// <summary>Files copied out: absolute path → content; a directory in the outputs contributes each regular file under it.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; init; } = new Dictionary<string, byte[]>();
}
