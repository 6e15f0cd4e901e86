namespace Berth.Server.Audit;

/// <summary>
/// Endpoint metadata that says whether a mutating request (POST, PUT, PATCH, DELETE) to the endpoint writes an audit record.
/// The <see cref="AuditMiddleware"/> decides by this, never by the path's text, so <c>POST /Api/v1/tokens</c> (routing
/// ignores case) is audited like <c>POST /api/v1/tokens</c>. A test fails for any mutating route without it.
/// </summary>
internal sealed record AuditMetadata(bool Audited, string? Reason)
{
    /// <summary>Mutating requests to the endpoint are audited, whatever their outcome.</summary>
    public static AuditMetadata Mutations { get; } = new(true, null);

    /// <summary>Mutating requests are not audited (denials still are), for the reason given.</summary>
    public static AuditMetadata Exempt(string reason) => new(false, reason);
}
