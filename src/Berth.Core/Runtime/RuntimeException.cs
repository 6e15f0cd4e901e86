namespace Berth.Core.Runtime;

/// <summary>A driver failure with a message that says what failed and what to do about it.</summary>
public class RuntimeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RuntimeException(string message, RuntimeErrorKind kind = RuntimeErrorKind.Transient, Exception? innerException = null)
        : base(message, innerException) => Kind = kind;

    /// <summary>Whether retrying may help.</summary>
    public RuntimeErrorKind Kind { get; }
}
