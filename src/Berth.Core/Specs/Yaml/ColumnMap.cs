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

        // Edits are sorted by column, so the last one starting at or before the column is found by binary search.
        var low = 0;
        var high = edits.Count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (edits[middle].NewColumn <= column)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        if (high < 0)
        {
            return column;
        }

        var edit = edits[high];
        return column < edit.NewColumn + edit.NewLength
            ? edit.OriginalColumn
            : column + edit.OriginalColumn + edit.OriginalLength - (edit.NewColumn + edit.NewLength);
    }

    private readonly record struct Edit(int OriginalColumn, int OriginalLength, int NewColumn, int NewLength);
}
