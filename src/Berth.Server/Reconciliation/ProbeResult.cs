namespace Berth.Server.Reconciliation;

/// <summary>The outcome of one health probe.</summary>
/// <param name="Healthy">True when the instance answered as healthy.</param>
/// <param name="Detail">What was seen: a status code, or why the probe failed.</param>
internal sealed record ProbeResult(bool Healthy, string Detail)
{
    public static ProbeResult Pass(string detail) => new(true, detail);

    public static ProbeResult Fail(string detail) => new(false, detail);
}
