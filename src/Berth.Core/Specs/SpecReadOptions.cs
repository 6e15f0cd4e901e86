namespace Berth.Core.Specs;

/// <summary>How <see cref="SpecReader"/> treats <c>${VAR}</c> references, relative paths and error names.</summary>
public sealed record SpecReadOptions
{
    /// <summary>Substitutes from the process environment, resolves nothing and names errors <c>input</c>.</summary>
    public static SpecReadOptions Default { get; } = new();

    /// <summary>
    /// Reads the value of a <c>${VAR}</c> reference; default the process environment. Null means nothing is substituted and any
    /// <c>${VAR}</c> is an error telling the author to substitute on the client (what the server does: it never reads its own environment).
    /// </summary>
    public Func<string, string?>? Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Directory that relative <c>build.context</c>, <c>process.command</c> and <c>process.workingDir</c> are resolved against. Null (the default): not resolved, so a relative path is an error.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Name of the source in errors that have no field path, such as a YAML syntax error. Default <c>input</c>.</summary>
    public string? SourceName { get; init; }

    /// <summary>What the server knows that the spec cannot tell (its data directory, say). Default null: only the built-in rules.</summary>
    public SpecValidationContext? ValidationContext { get; init; }
}
