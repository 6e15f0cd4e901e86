namespace Berth.Client.Contracts;

/// <summary>What a publish answered (<c>201</c>, or <c>200</c> for a repeat of a known <c>Message-Id</c>).</summary>
/// <param name="Id">The stored message's id (the first one's, for a repeat).</param>
/// <param name="Topic">The topic it went to (<c>agent/NAME</c> for mail).</param>
/// <param name="Duplicate">True when nothing new was stored.</param>
public sealed record PublishResponse(string Id, string Topic, bool Duplicate);
