using System.Text;

namespace Berth.Runtime.Process.Launching;

/// <summary>
/// Expands <c>$(NAME)</c> in arguments the way Kubernetes does: a known name becomes its value,
/// an unknown one stays as written, and <c>$$</c> is a literal <c>$</c> (so <c>$$(X)</c> gives <c>$(X)</c>).
/// </summary>
internal static class ArgumentExpander
{
    public static string Expand(string input, IReadOnlyDictionary<string, string> variables)
    {
        if (!input.Contains('$', StringComparison.Ordinal))
        {
            return input;
        }

        var result = new StringBuilder(input.Length);
        var i = 0;
        while (i < input.Length)
        {
            var c = input[i];
            if (c != '$' || i + 1 >= input.Length)
            {
                result.Append(c);
                i++;
                continue;
            }

            var next = input[i + 1];
            if (next == '$')
            {
                result.Append('$');
                i += 2;
                continue;
            }

            var close = next == '(' ? input.IndexOf(')', i + 2) : -1;
            if (close < 0)
            {
                result.Append(c);
                i++;
                continue;
            }

            var name = input[(i + 2)..close];
            if (variables.TryGetValue(name, out var value))
            {
                result.Append(value);
            }
            else
            {
                result.Append(input, i, close - i + 1);
            }

            i = close + 1;
        }

        return result.ToString();
    }
}
