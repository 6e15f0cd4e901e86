using System.Text;

namespace Berth.Core.Specs.Yaml;

/// <summary>
/// Replaces <c>${VAR}</c> and <c>${VAR:-default}</c> in raw spec text (or, given no environment, reports each as an error). <c>$${</c> becomes a literal <c>${</c>;
/// <c>${secret:NAME}</c>, <c>${{ expr }}</c> and <c>$(NAME)</c> are kept; whole-line comments are skipped.
/// Values are inserted verbatim and may not hold line breaks, so lines of the result match lines of the input.
/// </summary>
internal static class VariableSubstitution
{
    public static SubstitutionResult Apply(string text, Func<string, string?>? environment, string errorPath)
    {
        var output = new StringBuilder(text.Length);
        var errors = new List<SpecError>();
        var columns = new ColumnMap();
        var line = 1;
        var lineStart = 0;
        var newLineStart = 0;
        var inComment = false;

        // Both are found once per line, not once per character, so a long line is read in linear time.
        var lineEnd = LineEnd(text, 0);
        var lineHasContent = false;

        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                output.Append(c);
                i++;
                line++;
                lineStart = i;
                newLineStart = output.Length;
                inComment = false;
                lineEnd = LineEnd(text, i);
                lineHasContent = false;
                continue;
            }

            if (!inComment && c == '#' && !lineHasContent)
            {
                inComment = true;
            }

            lineHasContent |= !char.IsWhiteSpace(c);

            if (inComment || c != '$' || i + 1 >= text.Length)
            {
                output.Append(c);
                i++;
                continue;
            }

            var column = i - lineStart + 1;
            var newColumn = output.Length - newLineStart + 1;
            if (text[i + 1] == '$' && i + 2 < text.Length && text[i + 2] == '{')
            {
                output.Append("${");
                columns.Add(line, column, 3, newColumn, 2);
                i += 3;
                continue;
            }

            if (text[i + 1] != '{')
            {
                output.Append(c);
                i++;
                continue;
            }

            var rest = text.AsSpan(i, lineEnd - i);
            if (rest.StartsWith("${{"))
            {
                // A workflow expression: copy up to its closing braces untouched.
                var close = rest.IndexOf("}}");
                var length = close < 0 ? 3 : close + 2;
                output.Append(rest[..length]);
                i += length;
                continue;
            }

            var end = rest.IndexOf('}');
            if (end < 0)
            {
                errors.Add(new SpecError(errorPath, "unterminated '${'; close it with '}' on the same line, or write '$${' for a literal '${'", line, column));
                output.Append("${");
                i += 2;
                continue;
            }

            var reference = rest[..(end + 1)].ToString();
            var replacement = Resolve(reference, environment, out var error);
            if (error is not null)
            {
                errors.Add(new SpecError(errorPath, error, line, column));
            }

            output.Append(replacement);
            if (replacement.Length != reference.Length || !string.Equals(replacement, reference, StringComparison.Ordinal))
            {
                columns.Add(line, column, reference.Length, newColumn, replacement.Length);
            }

            i += reference.Length;
        }

        return new SubstitutionResult(output.ToString(), errors, columns);
    }

    private static int LineEnd(string text, int from)
    {
        var end = text.IndexOf('\n', from);
        return end < 0 ? text.Length : end;
    }

    private static string Resolve(string reference, Func<string, string?>? environment, out string? error)
    {
        error = null;
        var body = reference[2..^1];
        if (body.StartsWith("secret:", StringComparison.Ordinal))
        {
            var name = body["secret:".Length..];
            if (!SpecNames.IsSecretName(name))
            {
                error = $"'{reference}' is not a valid secret reference; expected ${{secret:NAME}} with letters, digits, '_', '.' or '-' in NAME";
            }

            return reference;
        }

        var separator = body.IndexOf(":-", StringComparison.Ordinal);
        var variable = separator < 0 ? body : body[..separator];
        var fallback = separator < 0 ? null : body[(separator + 2)..];
        if (!SpecNames.IsEnvName(variable))
        {
            error = $"'{reference}' is not a valid variable reference; expected ${{NAME}} or ${{NAME:-default}}, or write '$${{' for a literal '${{'";
            return reference;
        }

        if (environment is null)
        {
            error = $"${{{variable}}} is not substituted here: the server never reads its own environment; substitute it on the client (berth apply does, from yours), or write '$${{' for a literal '${{'";
            return reference;
        }

        var value = environment(variable);
        if (string.IsNullOrEmpty(value) && fallback is not null)
        {
            value = fallback;
        }

        // A failed reference stays as written: the YAML around it still parses, and the reader drops the errors it causes on its line.
        if (value is null)
        {
            error = $"${{{variable}}} is not set; export it or write ${{{variable}:-default}}";
            return reference;
        }

        if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
        {
            error = $"${{{variable}}} holds a line break; variables must be single-line (put multi-line text in a secret or a file)";
            return reference;
        }

        return value;
    }
}
