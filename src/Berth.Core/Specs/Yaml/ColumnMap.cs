namespace Berth.Core.Specs.Yaml;

/// <summary>Maps columns of the substituted text back to the original text; substitution never adds or removes lines, so lines map to themselves.</summary>
internal sealed class ColumnMap
{
    private readonly Dictionary<int, List<Edit>> _edits = [];

    /// <summary>Records that on <paramref name="line"/> the original text at <paramref name="originalColumn"/> (length <paramref name="originalLength"/>) became text at <paramref name="newColumn"/> (length <paramref name="newLength"/>). Edits of one line are added left to right.</summary>
    public void Add(int line, int originalColumn, int originalLength, int newColumn, int newLength)
    {
        if (!_edits.TryGetValue(line, out var edits))
        {
            edits = [];
            _edits[line] = edits;
        }

        edits.Add(new Edit(originalColumn, originalLength, newColumn, newLength));
    }

    /// <summary>The original column of a 1-based column in the substituted text; a column inside substituted text maps to the start of its reference.</summary>
    public int ToOriginalColumn(int line, int column)
    {
        if (!_edits.TryGetValue(line, out var edits))
        {
            return column;
        }

        var offset = 0;
        foreach (var edit in edits)
        {
            if (column >= edit.NewColumn + edit.NewLength)
            {
                offset = edit.OriginalColumn + edit.OriginalLength - (edit.NewColumn + edit.NewLength);
            }
            else if (column >= edit.NewColumn)
            {
                return edit.OriginalColumn;
            }
            else
            {
                break;
            }
        }

        return column + offset;
    }

    private readonly record struct Edit(int OriginalColumn, int OriginalLength, int NewColumn, int NewLength);
}
