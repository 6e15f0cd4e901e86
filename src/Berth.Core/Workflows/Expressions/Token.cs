namespace Berth.Core.Workflows.Expressions;

/// <summary>One token of an expression; <see cref="Position"/> is 1-based in the template text.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position);
