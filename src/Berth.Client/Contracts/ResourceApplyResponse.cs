using Berth.Core.Storage;

namespace Berth.Client.Contracts;

/// <summary>What applying a topic or subscription did.</summary>
/// <param name="Kind">The kind applied: <c>Topic</c> or <c>Subscription</c>.</param>
/// <param name="Name">Its name.</param>
/// <param name="Outcome">Whether it was created, changed or left as it was.</param>
public sealed record ResourceApplyResponse(string Kind, string Name, ApplyOutcome Outcome);
