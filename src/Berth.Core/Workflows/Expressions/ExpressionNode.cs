using System.Text.Json.Nodes;

namespace Berth.Core.Workflows.Expressions;

/// <summary>A parsed expression; <see cref="Position"/> is 1-based in the template text.</summary>
internal abstract class ExpressionNode(int position)
{
    public int Position { get; } = position;

    /// <summary>Levels of operators from this node down to its deepest leaf (0 for a leaf); evaluation recurses this deep.</summary>
    public virtual int Depth => 0;

    public abstract Value Evaluate(ExpressionScope scope);
}

internal sealed class LiteralNode(int position, JsonNode? value) : ExpressionNode(position)
{
    public override Value Evaluate(ExpressionScope scope) => Value.Of(value?.DeepClone());
}

internal sealed class NotNode(int position, ExpressionNode operand) : ExpressionNode(position)
{
    public override int Depth { get; } = operand.Depth + 1;

    public override Value Evaluate(ExpressionScope scope) => Value.Of(!JsonValues.IsTrue(operand.Evaluate(scope).ToJson(scope)));
}

internal sealed class BinaryNode(int position, string op, ExpressionNode left, ExpressionNode right) : ExpressionNode(position)
{
    public override int Depth { get; } = Math.Max(left.Depth, right.Depth) + 1;

    public override Value Evaluate(ExpressionScope scope)
    {
        var l = left.Evaluate(scope).ToJson(scope);
        switch (op)
        {
            case "&&":
                return Value.Of(JsonValues.IsTrue(l) && JsonValues.IsTrue(right.Evaluate(scope).ToJson(scope)));
            case "||":
                return Value.Of(JsonValues.IsTrue(l) || JsonValues.IsTrue(right.Evaluate(scope).ToJson(scope)));
        }

        var r = right.Evaluate(scope).ToJson(scope);
        return Value.Of(op switch
        {
            "==" => JsonValues.Equal(l, r),
            "!=" => !JsonValues.Equal(l, r),
            "<" => JsonValues.Compare(l, r) < 0,
            "<=" => JsonValues.Compare(l, r) <= 0,
            ">" => JsonValues.Compare(l, r) > 0,
            _ => JsonValues.Compare(l, r) >= 0,
        });
    }
}

internal sealed class PathNode(int position, PathRoot root, string? name, IReadOnlyList<Segment> segments) : ExpressionNode(position)
{
    public PathRoot Root { get; } = root;

    public string? Name { get; } = name;

    public override Value Evaluate(ExpressionScope scope) => PathResolver.Resolve(Root, Name, segments, scope);
}
