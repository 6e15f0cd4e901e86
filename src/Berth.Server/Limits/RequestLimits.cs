namespace Berth.Server.Limits;

/// <summary>Request limits, bound from <c>Berth:Limits</c>.</summary>
internal sealed class RequestLimits
{
    public const string Section = "Berth:Limits";

    public const long DefaultMaxRequestBodyBytes = 32L * 1024 * 1024;

    /// <summary>Largest request body the API and the proxy accept, in bytes. Default 32 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;
}
