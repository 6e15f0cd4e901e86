namespace Berth.Core.Specs;

/// <summary>Finds the <c>${secret:NAME}</c> references in a spec. Secrets are resolved only in <see cref="AgentSpec.Env"/> values and <see cref="AgentSpec.Files"/> contents, at injection time.</summary>
public static class SecretReference
{
    private const string Prefix = "${secret:";

    /// <summary>The distinct secret names referenced by the agent's env values and files, in order of first appearance. Malformed references are skipped (the validator reports them).</summary>
    public static IReadOnlyList<string> FindAll(AgentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var names = new List<string>();
        foreach (var value in spec.Env.Values.Concat(spec.Files.Values))
        {
            foreach (var (name, valid) in Scan(value))
            {
                if (valid && !names.Contains(name, StringComparer.Ordinal))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }

    /// <summary>True when <paramref name="name"/> is a valid secret name: letters, digits, '_', '.' and '-'.</summary>
    public static bool IsValidName(string? name) => SpecNames.IsSecretName(name);

    /// <summary>Every <c>${secret:...}</c> in <paramref name="text"/>, with whether its name is valid; an unclosed reference yields its rest of text as an invalid name.</summary>
    internal static IEnumerable<(string Name, bool Valid)> Scan(string text)
    {
        var index = 0;
        while ((index = text.IndexOf(Prefix, index, StringComparison.Ordinal)) >= 0)
        {
            var start = index + Prefix.Length;
            var end = text.IndexOf('}', start);
            var name = end < 0 ? text[start..] : text[start..end];
            yield return (name, end >= 0 && SpecNames.IsSecretName(name));
            index = end < 0 ? text.Length : end + 1;
        }
    }
}
