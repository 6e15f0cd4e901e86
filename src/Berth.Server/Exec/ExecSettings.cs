namespace Berth.Server.Exec;

/// <summary>Settings of <c>berth exec</c> sessions (<c>Berth:Exec</c>).</summary>
public sealed class ExecSettings
{
    /// <summary>The configuration section these settings bind from.</summary>
    public const string Section = "Berth:Exec";

    /// <summary>The longest idle time accepted.</summary>
    public static readonly TimeSpan MaxIdleTimeout = TimeSpan.FromHours(24);

    /// <summary>A session with no frame either way for this long is closed; from 1s to 24h. Default 15m.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);
}
