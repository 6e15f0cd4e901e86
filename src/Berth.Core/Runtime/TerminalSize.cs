namespace Berth.Core.Runtime;

/// <summary>A terminal's size in character cells.</summary>
/// <param name="Rows">Lines, 1 to 1000.</param>
/// <param name="Columns">Columns, 1 to 1000.</param>
public sealed record TerminalSize(int Rows, int Columns)
{
    /// <summary>The largest rows or columns accepted.</summary>
    public const int Max = 1000;

    /// <summary>Whether both are between 1 and <see cref="Max"/>.</summary>
    public bool IsValid => Rows is >= 1 and <= Max && Columns is >= 1 and <= Max;
}
