using Berth.Core.Specs;

namespace Berth.Core.Workflows;

/// <summary>A container step: the image, what it runs, and the files that go in before it starts and come out after it exits.</summary>
public sealed record ContainerStepSpec
{
    /// <summary>Image reference (local images only on a machine without a registry).</summary>
    public string Image { get; set; } = string.Empty;

    /// <summary>Overrides the image's entrypoint (as for agents). Empty keeps the image's.</summary>
    public IReadOnlyList<string> Command { get; set; } = [];

    /// <summary>Overrides the image's command. Empty keeps the image's.</summary>
    public IReadOnlyList<string> Args { get; set; } = [];

    /// <summary>Environment variables; values may hold expressions and <c>${secret:NAME}</c>.</summary>
    public IReadOnlyDictionary<string, string> Env { get; set; } = new Dictionary<string, string>();

    /// <summary>Working directory inside the container; null for the image's.</summary>
    public string? Workdir { get; set; }

    /// <summary>Absolute path in the container → content (text with expressions; an expression giving a file's content copies it).</summary>
    public IReadOnlyDictionary<string, string> Files { get; set; } = new Dictionary<string, string>();

    /// <summary>Absolute paths (files or directories) copied out after the container exits; each file becomes <c>files['/path']</c>.</summary>
    public IReadOnlyList<string> Outputs { get; set; } = [];

    /// <summary>Memory and CPU limits of the step's container, as for agents (<c>{ memory: 512Mi, cpus: 0.5 }</c>). Default null: no limits.</summary>
    public ResourceSpec? Resources { get; set; }
}
