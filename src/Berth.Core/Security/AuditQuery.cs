namespace Berth.Core.Security;

/// <summary>Which audit records to read. Results are newest first.</summary>
public sealed record AuditQuery
{
    /// <summary>The most records one query returns: 1000.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Only records at or after this time; null for no lower bound.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only records of this principal (exact match, like <c>token:1a2b3c4d5e6f</c> or <c>anonymous</c>); null for all.</summary>
    public string? Principal { get; init; }

    /// <summary>Only records with an id below this one, to page backwards; null to start from the newest.</summary>
    public long? BeforeId { get; init; }

    /// <summary>At most this many records, 1 to <see cref="MaxLimit"/>. Default 100.</summary>
    public int Limit { get; init; } = 100;
}
