namespace Berth.Core.Security;

/// <summary>How an audited request ended, derived from its HTTP status.</summary>
public static class AuditOutcomes
{
    /// <summary>The request was carried out (status below 400).</summary>
    public const string Allowed = "allowed";

    /// <summary>The server refused the caller: no or a bad token (401), a role that is not enough (403), or over its rate limit (429).</summary>
    public const string Denied = "denied";

    /// <summary>The caller was allowed but the request failed: invalid input, not found, conflict or a server error.</summary>
    public const string Failed = "failed";

    /// <summary>The outcome of a request answered with <paramref name="status"/>.</summary>
    public static string FromStatus(int status) => status switch
    {
        < 400 => Allowed,
        401 or 403 or 429 => Denied,
        _ => Failed,
    };
}
