namespace Berth.Cli.Commands.Bench;

/// <summary>The agent restarted through the API, then its first request timed once every replica was ready again.</summary>
/// <param name="ReadyAfterMs">From the restart call to every replica reported ready (polled every 300ms, so up to that much late).</param>
/// <param name="FirstRequestMs">The first request's latency after that.</param>
/// <param name="FirstRequestStatus">Its status; null when it got no answer.</param>
/// <param name="WarmP50Ms">The warm run's median latency, for comparison; null when the run had no answer.</param>
/// <param name="SlowerThanWarm">First request over warm median; null without a warm median.</param>
internal sealed record ColdStartResult(double ReadyAfterMs, double FirstRequestMs, int? FirstRequestStatus, double? WarmP50Ms, double? SlowerThanWarm);
