namespace Berth.Core.Llm;

/// <summary>A model an endpoint lets callers use. Written as the provider's model name (<c>gpt-4o-mini</c>) or as <c>{ name, alias }</c>.</summary>
public sealed record ModelEntry
{
    /// <summary>The provider's name of the model, which Berth sends upstream. Required.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Another name callers may use for it (<c>fast</c>); Berth replaces it with <see cref="Name"/> before the call goes out. Null: none.</summary>
    public string? Alias { get; set; }

    /// <summary>True when a caller's <paramref name="model"/> names this entry, by its name or its alias.</summary>
    public bool Matches(string model) => string.Equals(Name, model, StringComparison.Ordinal) || string.Equals(Alias, model, StringComparison.Ordinal);
}
