namespace Berth.Core.Specs;

/// <summary>How <see cref="SpecReader"/> substitutes variables, resolves relative paths and names its source.</summary>
public sealed record SpecReadOptions
{
    /// <summary>Options with the defaults: the process environment, no base directory, no source name.</summary>
    public static SpecReadOptions Default { get; } = new();

    /// <summary>Looks up <c>${VAR}</c> values; returns null for an unset variable. Default: the process environment.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Directory that relative <c>build.context</c>, <c>process.workingDir</c> and <c>process.command</c> paths (those containing '/') resolve against, giving absolute normalised paths. Default null: paths stay as written.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Name of the source (a file name) used in messages about the text as a whole. Default null: <c>input</c>.</summary>
    public string? SourceName { get; init; }
}
