using System.Text;

namespace Berth.Core.Workflows.Expressions;

/// <summary>Splits the inside of one <c>${{ … }}</c> into tokens, up to and including its closing <c>}}</c>.</summary>
internal static class Lexer
{
    private static readonly string[] Operators = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!"];

    /// <summary>Tokens from <paramref name="start"/> (just after <c>${{</c>); the last is <see cref="TokenKind.End"/>, at the closing <c>}}</c>.</summary>
    public static List<Token> Read(string text, int start, Func<int, string, ExpressionException> error)
    {
        var tokens = new List<Token>();
        var i = start;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                throw error(start - 2, "'${{' is not closed by '}}'");
            }

            var c = text[i];
            if (c == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                tokens.Add(new Token(TokenKind.End, "}}", i + 1));
                return tokens;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                var end = i + 1;
                while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '_' or '-'))
                {
                    end++;
                }

                tokens.Add(new Token(TokenKind.Name, text[i..end], i + 1));
                i = end;
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var end = i + 1;
                while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] is '.' or 'e' or 'E' || (text[end] is '+' or '-' && text[end - 1] is 'e' or 'E')))
                {
                    end++;
                }

                tokens.Add(new Token(TokenKind.Number, text[i..end], i + 1));
                i = end;
            }
            else if (c == '\'')
            {
                i = ReadText(text, i, tokens, error);
            }
            else if (Single(c) is { } kind)
            {
                tokens.Add(new Token(kind, c.ToString(), i + 1));
                i++;
            }
            else if (Operators.FirstOrDefault(o => string.CompareOrdinal(text, i, o, 0, o.Length) == 0) is { } op)
            {
                tokens.Add(new Token(TokenKind.Operator, op, i + 1));
                i += op.Length;
            }
            else
            {
                throw error(i + 1, $"unexpected '{c}'; expected a name, a 'string', a number, an operator (== != < <= > >= && || !) or parentheses");
            }
        }
    }

    private static int ReadText(string text, int quote, List<Token> tokens, Func<int, string, ExpressionException> error)
    {
        var value = new StringBuilder();
        for (var i = quote + 1; i < text.Length; i++)
        {
            if (text[i] != '\'')
            {
                value.Append(text[i]);
            }
            else if (i + 1 < text.Length && text[i + 1] == '\'')
            {
                value.Append('\'');
                i++;
            }
            else
            {
                tokens.Add(new Token(TokenKind.Text, value.ToString(), quote + 1));
                return i + 1;
            }
        }

        throw error(quote + 1, "the string is not closed by '; write a quote inside a string as ''");
    }

    private static TokenKind? Single(char c) => c switch
    {
        '.' => TokenKind.Dot,
        '[' => TokenKind.OpenBracket,
        ']' => TokenKind.CloseBracket,
        '(' => TokenKind.OpenParen,
        ')' => TokenKind.CloseParen,
        _ => null,
    };
}
