namespace Berth.Core.Specs.Yaml;

/// <summary>Suggests the known name closest to a misspelt one.</summary>
internal static class FieldSuggester
{
    /// <summary>The closest of <paramref name="known"/> to <paramref name="name"/>, or null when none is close (more edits than a third of the name's length, at least 1).</summary>
    public static string? Suggest(string name, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= Math.Max(1, name.Length / 3) ? best : null;
    }

    /// <summary>The message for a field not in <paramref name="known"/>: the closest known field, or all of them when none is close.</summary>
    public static string UnknownField(string name, IReadOnlyCollection<string> known) =>
        Suggest(name, known) is { } suggestion ? $"unknown field; did you mean '{suggestion}'?" : $"unknown field; expected one of {string.Join(", ", known)}";

    /// <summary>Levenshtein distance counting a swap of neighbours as one edit (optimal string alignment): the fewest insertions, deletions, substitutions and transpositions from one to the other.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
