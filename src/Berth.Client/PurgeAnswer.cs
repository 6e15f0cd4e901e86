namespace Berth.Client;

/// <summary>The body of a purge answer: how many requests were deleted.</summary>
internal sealed record PurgeAnswer(int Deleted);
