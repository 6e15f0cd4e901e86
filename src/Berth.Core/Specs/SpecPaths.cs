namespace Berth.Core.Specs;

/// <summary>How paths in spec errors are written: <c>spec.env.KEY</c>, <c>spec.files['/etc/app.conf']</c>, <c>spec.steps[2].id</c>.</summary>
internal static class SpecPaths
{
    /// <summary>The path of a field or of a mapping's entry; an entry whose name is not a plain word is quoted.</summary>
    public static string Member(string parent, string name)
    {
        if (!IsPlain(name))
        {
            return $"{parent}['{name}']";
        }

        return parent.Length == 0 ? name : $"{parent}.{name}";
    }

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    public static string File(string filesPath, string key) => $"{filesPath}['{key}']";

    /// <summary>The enclosing path: <c>spec.health</c> for <c>spec.health.interval</c>, empty at the top.</summary>
    public static string Parent(string path)
    {
        if (path.EndsWith("']", StringComparison.Ordinal))
        {
            var open = path.LastIndexOf("['", StringComparison.Ordinal);
            return open < 0 ? string.Empty : path[..open];
        }

        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? string.Empty : path[..cut];
    }

    private static bool IsPlain(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
