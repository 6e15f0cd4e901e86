using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Core.Workflows.Expressions;

/// <summary>Recursive-descent parser of one expression, recording which inputs and steps it names.</summary>
internal sealed class Parser(List<Token> tokens, Func<int, string, ExpressionException> error)
{
    private const string Allowed = "inputs.NAME, steps.ID.FIELD, trigger.message, item, index, a 'string', a number, true, false, null, ! or (";
    private int _next;
    private int _nesting;

    public HashSet<string> Steps { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Inputs { get; } = new(StringComparer.Ordinal);

    public bool UsesItem { get; private set; }

    public ExpressionNode ParseAll()
    {
        if (Peek.Kind == TokenKind.End)
        {
            throw error(Peek.Position, $"empty expression; expected {Allowed}");
        }

        var node = Or();
        if (Peek.Kind != TokenKind.End)
        {
            throw error(Peek.Position, $"unexpected '{Peek.Text}'; expected an operator (== != < <= > >= && ||) or '}}}}'");
        }

        return node;
    }

    private Token Peek => tokens[_next];

    private Token Take() => tokens[_next++];

    private bool AtOperator(params string[] ops) => Peek.Kind == TokenKind.Operator && ops.Contains(Peek.Text);

    private ExpressionNode Or()
    {
        var left = And();
        while (AtOperator("||"))
        {
            var op = Take();
            left = Bounded(new BinaryNode(op.Position, op.Text, left, And()));
        }

        return left;
    }

    private ExpressionNode And()
    {
        var left = Comparison();
        while (AtOperator("&&"))
        {
            var op = Take();
            left = Bounded(new BinaryNode(op.Position, op.Text, left, Comparison()));
        }

        return left;
    }

    private ExpressionNode Comparison()
    {
        var left = Unary();
        if (AtOperator("==", "!=", "<", "<=", ">", ">="))
        {
            var op = Take();
            left = Bounded(new BinaryNode(op.Position, op.Text, left, Unary()));
        }

        return left;
    }

    private ExpressionNode Unary()
    {
        if (AtOperator("!"))
        {
            var op = Take();
            Enter(op);
            var operand = Unary();
            _nesting--;
            return Bounded(new NotNode(op.Position, operand));
        }

        return Primary();
    }

    private ExpressionNode Primary()
    {
        var token = Take();
        switch (token.Kind)
        {
            case TokenKind.OpenParen:
                Enter(token);
                var inner = Or();
                Expect(TokenKind.CloseParen, "')'");
                _nesting--;
                return inner;
            case TokenKind.Text:
                return new LiteralNode(token.Position, JsonValue.Create(token.Text));
            case TokenKind.Number:
                return new LiteralNode(token.Position, ParseNumber(token));
            case TokenKind.Name:
                return Name(token);
            default:
                throw error(token.Position, $"{(token.Kind == TokenKind.End ? "the expression ends here" : $"unexpected '{token.Text}'")}; expected {Allowed}");
        }
    }

    /// <summary>
    /// Counts one level of <c>(</c> or <c>!</c> before descending into it: the parser recurses per level, and a stack overflow
    /// ends the process, so a hostile workflow must be refused before the stack runs out.
    /// </summary>
    private void Enter(Token token)
    {
        if (++_nesting > Template.MaxDepth)
        {
            throw error(token.Position, $"nested deeper than {Template.MaxDepth} levels of '(' and '!'; simplify the expression");
        }
    }

    /// <summary>Evaluation recurses once per level of the tree, so long chains of operators are bounded like nesting.</summary>
    private ExpressionNode Bounded(ExpressionNode node) => node.Depth <= Template.MaxDepth
        ? node
        : throw error(node.Position, $"nested deeper than {Template.MaxDepth} levels of operators; split the expression or simplify it");

    private ExpressionNode Name(Token token)
    {
        switch (token.Text)
        {
            case "true" or "false":
                return new LiteralNode(token.Position, JsonValue.Create(token.Text == "true"));
            case "null":
                return new LiteralNode(token.Position, null);
            case "index":
                UsesItem = true;
                return new PathNode(token.Position, PathRoot.Index, null, []);
            case "item":
                UsesItem = true;
                return new PathNode(token.Position, PathRoot.Item, null, Segments());
            case "inputs":
                var input = Member("an input name: inputs.NAME");
                Inputs.Add(input);
                return new PathNode(token.Position, PathRoot.Inputs, input, Segments());
            case "trigger":
                var what = Member("what started the run: trigger.message.body");
                return new PathNode(token.Position, PathRoot.Trigger, what, Segments());
            case "steps":
                var step = Member("a step id: steps.ID.stdout");
                Steps.Add(step);
                var segments = Segments();
                PathResolver.CheckStepPath(segments, Peek.Position, error);
                return new PathNode(token.Position, PathRoot.Steps, step, segments);
            default:
                throw error(token.Position, $"unknown name '{token.Text}'; expected {Allowed} (there are no functions)");
        }
    }

    private string Member(string expected)
    {
        if (Peek.Kind == TokenKind.Dot)
        {
            Take();
            return Peek.Kind == TokenKind.Name ? Take().Text : throw error(Peek.Position, $"expected {expected}");
        }

        if (Peek.Kind == TokenKind.OpenBracket && tokens[_next + 1].Kind == TokenKind.Text)
        {
            Take();
            var key = Take().Text;
            Expect(TokenKind.CloseBracket, "']'");
            return key;
        }

        throw error(Peek.Position, $"expected {expected}");
    }

    private List<Segment> Segments()
    {
        var segments = new List<Segment>();
        while (true)
        {
            var token = Peek;
            if (token.Kind == TokenKind.Dot)
            {
                Take();
                var name = Peek.Kind == TokenKind.Name ? Take().Text : throw error(Peek.Position, "expected a field name after '.'");
                segments.Add(new Segment(name, null, token.Position));
            }
            else if (token.Kind == TokenKind.OpenBracket)
            {
                Take();
                var inside = Take();
                segments.Add(inside.Kind switch
                {
                    TokenKind.Text => new Segment(inside.Text, null, token.Position),
                    TokenKind.Number when int.TryParse(inside.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) => new Segment(null, index, token.Position),
                    _ => throw error(inside.Position, "expected an index like [0] or a key like ['name'] inside [ ]"),
                });
                Expect(TokenKind.CloseBracket, "']'");
            }
            else
            {
                return segments;
            }
        }
    }

    private void Expect(TokenKind kind, string what)
    {
        var token = Take();
        if (token.Kind != kind)
        {
            throw error(token.Position, $"expected {what}, found {(token.Kind == TokenKind.End ? "the end of the expression" : $"'{token.Text}'")}");
        }
    }

    private JsonValue ParseNumber(Token token)
    {
        try
        {
            return JsonNode.Parse(token.Text) is JsonValue number && number.GetValueKind() == JsonValueKind.Number
                ? number
                : throw error(token.Position, $"'{token.Text}' is not a number");
        }
        catch (JsonException)
        {
            throw error(token.Position, $"'{token.Text}' is not a number");
        }
    }
}
