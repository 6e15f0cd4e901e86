using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Core.Workflows.Expressions;

/// <summary>
/// A text that may hold <c>${{ … }}</c> expressions: paths (<c>inputs.NAME</c>, <c>steps.ID.stdout</c>, <c>steps.ID.body.field</c>,
/// <c>steps.ID.outputs.NAME</c>, <c>steps.ID.files['/path']</c>, <c>item</c>, <c>index</c>), literals (<c>'text'</c>, numbers, true, false, null), comparisons,
/// <c>&amp;&amp; || !</c> and parentheses. Parsed once, evaluated per step attempt.
/// </summary>
public sealed class Template
{
    /// <summary>Deepest expression accepted: 64 levels of parentheses, <c>!</c> and operators, so parsing and evaluating never exhaust the stack.</summary>
    public const int MaxDepth = 64;

    private const int QuotedChars = 60;

    private readonly IReadOnlyList<Part> _parts;

    private Template(string text, IReadOnlyList<Part> parts, IReadOnlySet<string> steps, IReadOnlySet<string> inputs, bool usesItem)
    {
        Text = text;
        _parts = parts;
        Steps = steps;
        Inputs = inputs;
        UsesItem = usesItem;
    }

    /// <summary>The text as written.</summary>
    public string Text { get; }

    /// <summary>Ids of the steps its expressions name (<c>steps.ID…</c>); the step that holds it depends on them.</summary>
    public IReadOnlySet<string> Steps { get; }

    /// <summary>Names of the inputs its expressions name (<c>inputs.NAME</c>).</summary>
    public IReadOnlySet<string> Inputs { get; }

    /// <summary>Whether an expression uses <c>item</c> or <c>index</c> (only set in <c>forEach</c> steps).</summary>
    public bool UsesItem { get; }

    /// <summary>Whether the whole text is one <c>${{ … }}</c>, so that it evaluates to a JSON value of any type.</summary>
    public bool IsSingleExpression => _parts is [{ Expression: not null }];

    /// <summary>Whether the text holds any expression.</summary>
    public bool HasExpressions => _parts.Any(p => p.Expression is not null);

    /// <summary>Parses <paramref name="text"/>; text outside <c>${{ … }}</c> is kept as is.</summary>
    /// <exception cref="ExpressionException">An expression is malformed; the message names the position (1-based) and the problem.</exception>
    public static Template Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // A hostile text may be megabytes long; the error quotes only its start so a 400 problem stays readable.
        var quoted = text.Length <= QuotedChars ? text : string.Concat(text.AsSpan(0, QuotedChars), "…");
        ExpressionException Error(int position, string message) => new($"'{quoted}' at position {position}: {message}");
        var parts = new List<Part>();
        var steps = new HashSet<string>(StringComparer.Ordinal);
        var inputs = new HashSet<string>(StringComparer.Ordinal);
        var usesItem = false;
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf("${{", at, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(new Part(text[at..], null, null));
                break;
            }

            if (open > at)
            {
                parts.Add(new Part(text[at..open], null, null));
            }

            var tokens = Lexer.Read(text, open + 3, Error);
            var parser = new Parser(tokens, Error);
            var node = parser.ParseAll();
            steps.UnionWith(parser.Steps);
            inputs.UnionWith(parser.Inputs);
            usesItem |= parser.UsesItem;
            var close = tokens[^1].Position + 1;
            parts.Add(new Part(null, node, text[open..close]));
            at = close;
        }

        return new Template(text, parts, steps, inputs, usesItem);
    }

    /// <summary>
    /// A single expression's value with its JSON type (a file as its UTF-8 text); otherwise the text with each expression
    /// rendered: strings as they are, null as nothing, other JSON compact.
    /// </summary>
    /// <exception cref="ExpressionException">An expression named something that does not exist, or compared values of different types.</exception>
    public JsonNode? Evaluate(ExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (IsSingleExpression)
        {
            return Run(_parts[0], scope).ToJson(scope);
        }

        var text = new StringBuilder();
        foreach (var part in _parts)
        {
            text.Append(part.Literal ?? JsonValues.Render(Run(part, scope).ToJson(scope)));
        }

        return JsonValue.Create(text.ToString());
    }

    /// <summary>The content for a file: a single expression naming an output file gives its bytes unchanged; otherwise the UTF-8 of the evaluated text.</summary>
    public byte[] EvaluateBytes(ExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (IsSingleExpression && Run(_parts[0], scope) is { File: { } file })
        {
            return scope.ReadFile(file);
        }

        return Encoding.UTF8.GetBytes(JsonValues.Render(Evaluate(scope)));
    }

    /// <summary>The text evaluated as a condition: false, null, 0, "" and "false" are false, everything else true.</summary>
    public bool IsTrue(ExpressionScope scope) => JsonValues.IsTrue(Evaluate(scope));

    /// <summary>The evaluated text as a string (<see cref="Evaluate"/> rendered).</summary>
    public string EvaluateText(ExpressionScope scope) => JsonValues.Render(Evaluate(scope));

    /// <inheritdoc />
    public override string ToString() => Text;

    private static Value Run(Part part, ExpressionScope scope)
    {
        try
        {
            return part.Expression!.Evaluate(scope);
        }
        catch (ExpressionException exception)
        {
            throw new ExpressionException($"{part.Source}: {exception.Message}", exception);
        }
    }

    private sealed record Part(string? Literal, ExpressionNode? Expression, string? Source);
}
