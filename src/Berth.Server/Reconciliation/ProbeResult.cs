namespace Berth.Server.Reconciliation;

/// <summary>The outcome of one health probe.</summary>
/// <param name="Healthy">True when the instance answered as healthy.</param>
/// <param name="Detail">What was seen: a status code, or why the probe failed.</param>
/// <param name="StatusCode">The HTTP status the health path answered; null for a TCP probe or no answer.</param>
internal sealed record ProbeResult(bool Healthy, string Detail, int? StatusCode = null)
{
    public static ProbeResult Pass(string detail, int? statusCode = null) => new(true, detail, statusCode);

    public static ProbeResult Fail(string detail, int? statusCode = null) => new(false, detail, statusCode);
}
