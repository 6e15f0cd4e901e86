namespace Berth.Client.Runs;

/// <summary>One event of a <c>text/event-stream</c>: its <c>id</c> (when numeric), <c>event</c> type and <c>data</c> lines joined by newlines.</summary>
internal sealed record ServerSentEvent(long? Id, string? Type, string Data);
