namespace Berth.Core.Specs.Binding;

/// <summary>A converter of values written as text (<c>30s</c>, <c>512Mi</c>), which the binder asks before converting so every bad value is reported, not only the first.</summary>
internal interface ITextScalar
{
    /// <summary>What a valid value looks like, for messages: <c>a duration like 30s, 5m or 1h</c>.</summary>
    string Expected { get; }

    bool IsValid(string text);
}
