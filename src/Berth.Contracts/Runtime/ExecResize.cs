namespace Berth.Core.Runtime;

/// <summary>The payload of an <see cref="ExecChannel.Resize"/> message.</summary>
/// <param name="Rows">Lines, 1 to 1000.</param>
/// <param name="Cols">Columns, 1 to 1000.</param>
public sealed record ExecResize(int Rows, int Cols);
