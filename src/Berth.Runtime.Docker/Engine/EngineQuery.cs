using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Docker.Engine;

/// <summary>Builds an Engine API path with an escaped query string.</summary>
internal sealed class EngineQuery
{
    private readonly StringBuilder _builder;
    private bool _hasQuery;

    public EngineQuery(string path) => _builder = new StringBuilder(path);

    /// <summary>Escapes an object name for a path segment; image references keep their '/' and ':'.</summary>
    public static string Segment(string name) =>
        Uri.EscapeDataString(name).Replace("%2F", "/", StringComparison.Ordinal).Replace("%3A", ":", StringComparison.Ordinal);

    public EngineQuery Add(string key, string? value)
    {
        if (value is null)
        {
            return this;
        }

        _builder.Append(_hasQuery ? '&' : '?').Append(key).Append('=').Append(Uri.EscapeDataString(value));
        _hasQuery = true;
        return this;
    }

    public EngineQuery Add(string key, bool value) => Add(key, value ? "1" : "0");

    public EngineQuery Add(string key, long? value) => Add(key, value?.ToString(CultureInfo.InvariantCulture));

    public EngineQuery AddFilters(IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
    {
        var present = filters.Where(f => f.Value.Count > 0).ToDictionary(f => f.Key, f => f.Value);
        return present.Count == 0 ? this : Add("filters", JsonSerializer.Serialize(present, DockerJson.Options));
    }

    public override string ToString() => _builder.ToString();
}
