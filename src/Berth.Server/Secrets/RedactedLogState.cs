using System.Collections;

namespace Berth.Server.Secrets;

/// <summary>A log entry's state after redaction: the formatted message and the structured values, as providers expect them.</summary>
internal sealed class RedactedLogState(string message, IReadOnlyList<KeyValuePair<string, object?>> properties) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public string Message { get; } = message;

    public int Count => properties.Count;

    public KeyValuePair<string, object?> this[int index] => properties[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Message;
}
