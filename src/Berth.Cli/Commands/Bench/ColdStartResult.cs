namespace Berth.Cli.Commands.Bench;

/// <summary>
/// The agent restarted through the API, then its first request timed once every replica was ready again, against the median
/// of a few requests sent one at a time right after it (so both sides are single requests, not requests queued under load).
/// </summary>
/// <param name="ReadyAfterMs">From the restart call to every replica reported ready (polled every 300ms, so up to that much late).</param>
/// <param name="FirstRequestMs">The first request's latency after that.</param>
/// <param name="FirstRequestStatus">Its status; null when it got no answer.</param>
/// <param name="WarmMs">The median latency of the requests sent one at a time after it; null when none was answered.</param>
/// <param name="SlowerThanWarm">First request over warm; null without a warm figure.</param>
internal sealed record ColdStartResult(double ReadyAfterMs, double FirstRequestMs, int? FirstRequestStatus, double? WarmMs, double? SlowerThanWarm);
