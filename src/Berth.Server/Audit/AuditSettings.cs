namespace Berth.Server.Audit;

/// <summary>Audit log settings (<c>Berth:Audit</c>).</summary>
public sealed class AuditSettings
{
    /// <summary>The configuration section these settings bind from.</summary>
    public const string Section = "Berth:Audit";

    /// <summary>Days an audit record is kept before retention deletes it; from 1 to 36500. Default 90.</summary>
    public int RetentionDays { get; set; } = 90;
}
