namespace Berth.Core.Specs;

/// <summary>Where each value of a document was written: JSON-style paths (<c>spec.health.interval</c>) to line and column, plus the text of plain scalars read as numbers or booleans.</summary>
internal sealed class SourceMap
{
    private readonly Dictionary<string, (int Line, int Column)> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Line, int Column)> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _plainText = new(StringComparer.Ordinal);
    private readonly HashSet<string> _entries = new(StringComparer.Ordinal);

    public void AddValue(string path, int line, int column) => _values.TryAdd(Canonical(path), (line, column));

    public void AddKey(string path, int line, int column) => _keys.TryAdd(Canonical(path), (line, column));

    public void AddPlainText(string path, string text) => _plainText.TryAdd(Canonical(path), text);

    /// <summary>Marks <paramref name="path"/> as an entry of a name-to-value mapping (<c>env</c>, <c>files</c>), whose errors are about the name as much as the value, so they point at the name.</summary>
    public void MarkEntry(string path) => _entries.Add(Canonical(path));

    /// <summary>The text a number or boolean was written as (<c>01234</c>, <c>1.10</c>), so it reads back unchanged as text.</summary>
    public string? PlainText(string path) => _plainText.GetValueOrDefault(Canonical(path));

    /// <summary>The position of the field's name, or of its value when it has no name (a list item).</summary>
    public (int Line, int Column)? KeyOf(string path) => _keys.TryGetValue(Canonical(path), out var key) ? key : ValueOf(path);

    /// <summary>The position of the value at <paramref name="path"/>, or of the nearest enclosing value written.</summary>
    public (int Line, int Column)? ValueOf(string path)
    {
        for (var current = Canonical(path); current.Length > 0; current = SpecPaths.Parent(current))
        {
            if (_values.TryGetValue(current, out var position))
            {
                return position;
            }
        }

        return _values.TryGetValue(string.Empty, out var root) ? root : null;
    }

    /// <summary>The error located at its path's value.</summary>
    public SpecError AtValue(SpecError error)
    {
        var position = ValueOf(error.Path);
        return error with { Line = position?.Line, Column = position?.Column };
    }

    /// <summary>A validation error located at its path's value, or at the name of a mapping's entry (a bad file path is the name's fault).</summary>
    public SpecError Locate(SpecError error)
    {
        var position = _entries.Contains(Canonical(error.Path)) ? KeyOf(error.Path) : ValueOf(error.Path);
        return error with { Line = position?.Line, Column = position?.Column };
    }

    // env.KEY and env['KEY'] name the same place: every name is stored bracketed.
    private static string Canonical(string path)
    {
        var output = new System.Text.StringBuilder(path.Length + 8);
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var close = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                var end = close < 0 ? path.Length : close + 2;
                output.Append(path, i, end - i);
                i = end;
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                var end = close < 0 ? path.Length : close + 1;
                output.Append(path, i, end - i);
                i = end;
            }
            else
            {
                var end = path.IndexOfAny(['.', '['], i);
                end = end < 0 ? path.Length : end;
                output.Append("['").Append(path, i, end - i).Append("']");
                i = end;
            }
        }

        return output.ToString();
    }
}
