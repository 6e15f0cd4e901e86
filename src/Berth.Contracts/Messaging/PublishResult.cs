namespace Berth.Core.Messaging;

/// <summary>What publishing answered: the message's id, and whether it was a repeat of one already published.</summary>
/// <param name="Id">The id of the stored message (the first one's, for a repeat).</param>
/// <param name="Duplicate">True when the <c>Message-Id</c> was seen within the dedupe window and nothing new was stored.</param>
public sealed record PublishResult(string Id, bool Duplicate);
