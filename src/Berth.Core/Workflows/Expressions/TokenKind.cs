namespace Berth.Core.Workflows.Expressions;

internal enum TokenKind
{
    Name,
    Number,
    Text,
    Dot,
    OpenBracket,
    CloseBracket,
    OpenParen,
    CloseParen,
    Operator,
    End,
}
