namespace Berth.Core.Workflows.Expressions;

/// <summary>A <c>${{ … }}</c> expression that cannot be parsed, or that failed when evaluated; the message names the expression, the position and the problem.</summary>
public sealed class ExpressionException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public ExpressionException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public ExpressionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public ExpressionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
