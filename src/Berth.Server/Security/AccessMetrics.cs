using System.Diagnostics.Metrics;
using Berth.Server.Observability;

namespace Berth.Server.Security;

/// <summary>
/// Refusals at the door: <c>berth.auth.denials</c> (tagged <c>berth.reason</c>: <c>unauthenticated</c> for a 401, <c>forbidden</c>
/// for a 403) and <c>berth.rate_limit.rejections</c> (tagged <c>berth.limit</c>: <c>requests</c> or <c>bytes</c>). Neither is tagged
/// with the caller or the path, which anyone can choose.
/// </summary>
internal static class AccessMetrics
{
    private static readonly Counter<long> Denials = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.auth.denials", "{request}", "Requests refused for a missing or bad token (401) or a role that may not (403).");

    private static readonly Counter<long> RateLimited = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.rate_limit.rejections", "{request}", "Requests answered 429 because their token spent its request or byte budget.");

    public static void RecordDenial(bool authenticated) =>
        Denials.Add(1, new KeyValuePair<string, object?>("berth.reason", authenticated ? "forbidden" : "unauthenticated"));

    public static void RecordRateLimited(string limit) => RateLimited.Add(1, new KeyValuePair<string, object?>("berth.limit", limit));
}
