using Berth.Core.Specs;

namespace Berth.Core.Workflows.Execution;

/// <summary>Everything needed to start one attempt of a container step, expressions and secrets already resolved.</summary>
public sealed record ContainerStepLaunch
{
    /// <summary>The image (its resolved ID, so the attempt runs what the cache key names).</summary>
    public required string Image { get; init; }

    /// <summary>Entrypoint override; empty keeps the image's.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Command override; empty keeps the image's.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Environment variables.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Working directory; null for the image's.</summary>
    public string? Workdir { get; init; }

    /// <summary>Files written before the container starts: absolute path → content (directories are created).</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>
    /// Paths copied out after the step exits. Before it starts, the directory each is written into is created when the image
    /// lacks it: the path itself when it ends in '/' or its last segment has no '.' (<c>/out</c>), else its parent
    /// (<c>/out/a.txt</c> → <c>/out</c>). Default none.
    /// </summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    /// <summary>Memory and CPU limits of the container; null for none.</summary>
    public ResourceSpec? Resources { get; init; }

    /// <summary>The server that owns the container (a label, for clean-up).</summary>
    public required string Owner { get; init; }

    /// <summary>The run, step and attempt (labels, and the container's name).</summary>
    public required string RunId { get; init; }

    /// <summary>The step's id (with the item index for a <c>forEach</c> item: <c>resize-3</c>).</summary>
    public required string StepId { get; init; }

    /// <summary>The attempt, from 1.</summary>
    public required int Attempt { get; init; }
}
