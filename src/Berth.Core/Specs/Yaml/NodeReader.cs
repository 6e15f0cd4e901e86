using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Core.Specs.Yaml;

/// <summary>Reads typed values out of YAML nodes for one document, collecting every problem with its path and original line and column.</summary>
internal sealed class NodeReader(ColumnMap columns)
{
    private readonly List<SpecError> _errors = [];
    private readonly Dictionary<string, (int Line, int Column)> _positions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

    // Every failed path and each of its ancestors, so relatedness is a few lookups per error rather than a scan of every failure.
    private readonly HashSet<string> _failedOrAncestor = new(StringComparer.Ordinal);

    public IReadOnlyList<SpecError> Errors => _errors;

    public (int Line, int Column) Position(Mark mark) => (checked((int)mark.Line), columns.ToOriginalColumn(checked((int)mark.Line), checked((int)mark.Column)));

    public (int Line, int Column)? PositionOf(string path)
    {
        for (var current = path; current.Length > 0; current = Parent(current))
        {
            if (_positions.TryGetValue(current, out var position))
            {
                return position;
            }
        }

        return null;
    }

    public void Locate(string path, YamlNode node) => _positions.TryAdd(path, Position(node.Start));

    public void Error(string path, YamlNode node, string message)
    {
        if (_failed.Add(path))
        {
            for (var current = path; current.Length > 0 && _failedOrAncestor.Add(current); current = Parent(current))
            {
            }
        }

        var (line, column) = Position(node.Start);
        _errors.Add(new SpecError(path, message, line, column));
    }

    /// <summary>Adds errors found by the validator, located by the nearest field read; errors about a field that already failed to read are dropped as consequences of that failure.</summary>
    public void AddValidationErrors(IEnumerable<SpecError> errors)
    {
        foreach (var error in errors)
        {
            if (IsRelatedToAFailure(error.Path))
            {
                continue;
            }

            var position = PositionOf(error.Path);
            _errors.Add(error with { Line = position?.Line, Column = position?.Column });
        }
    }

    /// <summary>The fields of a mapping with their paths; reports keys that are not text and keys not in <paramref name="known"/>, naming the closest known field.</summary>
    public IEnumerable<(string Key, string Path, YamlNode Value)> Fields(YamlMappingNode map, string path, IReadOnlyList<string> known)
    {
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Error(path, keyNode, "expected a field name here, found " + Describe(keyNode));
                continue;
            }

            var fieldPath = Join(path, key);
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                var suggestion = FieldSuggester.Suggest(key, known);
                Error(fieldPath, keyNode, suggestion is null
                    ? $"unknown field; expected one of {string.Join(", ", known)}"
                    : $"unknown field; did you mean '{suggestion}'?");
                continue;
            }

            Locate(fieldPath, value);
            yield return (key, fieldPath, value);
        }
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>The node as a mapping; null (without error) for a null value, null with an error for anything else.</summary>
    public YamlMappingNode? Mapping(YamlNode node, string path, string example)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        if (!IsNull(node))
        {
            Error(path, node, $"expected a mapping like {example}, found {Describe(node)}");
        }

        return null;
    }

    /// <summary>A scalar as text (numbers and booleans as written); null for a null value.</summary>
    public string? Text(YamlNode node, string path)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? string.Empty;
        }

        Error(path, node, $"expected a text value, found {Describe(node)}");
        return null;
    }

    public int? Integer(YamlNode node, string path, string expected)
    {
        var text = Text(node, path);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(path, node, $"expected {expected}, found '{text}'");
        return null;
    }

    public bool? Boolean(YamlNode node, string path)
    {
        var text = Text(node, path);
        switch (text)
        {
            case null:
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            default:
                Error(path, node, $"expected true or false, found '{text}'");
                return null;
        }
    }

    public TimeSpan? Duration(YamlNode node, string path)
    {
        var text = Text(node, path);
        if (text is null)
        {
            return null;
        }

        if (SafeParse.Duration(text, out var value))
        {
            return value;
        }

        Error(path, node, $"expected a duration like 30s, 5m or 1h, found '{text}'");
        return null;
    }

    /// <summary>A list of scalars; a single scalar is taken as a one-item list and a null value as empty.</summary>
    public IReadOnlyList<string>? TextList(YamlNode node, string path)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return [scalar.Value ?? string.Empty];
        }

        var items = Sequence(node, path, "[a, b]");
        var values = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            Locate(itemPath, items[i]);
            if (Text(items[i], itemPath) is { } value)
            {
                values.Add(value);
            }
            else if (IsNull(items[i]))
            {
                Error(itemPath, items[i], "expected a text value, found nothing; quote an empty value as \"\"");
            }
        }

        return values;
    }

    public IReadOnlyList<YamlNode> Sequence(YamlNode node, string path, string example)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence.Children.ToList();
        }

        if (!IsNull(node))
        {
            Error(path, node, $"expected a list like {example}, found {Describe(node)}");
        }

        return [];
    }

    public static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar when IsNull(scalar) => "nothing",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => "an alias",
    };

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? string.Empty : path[..cut];
    }

    // Related when the error is about a failed path, one inside it, or one that contains it.
    private bool IsRelatedToAFailure(string path)
    {
        if (_failedOrAncestor.Contains(path))
        {
            return true;
        }

        for (var current = Parent(path); current.Length > 0; current = Parent(current))
        {
            if (_failed.Contains(current))
            {
                return true;
            }
        }

        return false;
    }
}
