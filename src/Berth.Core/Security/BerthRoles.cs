namespace Berth.Core.Security;

/// <summary>The roles a token can carry. Users are <c>admin</c>, <c>operator</c> or <c>viewer</c>; agents are <c>agent</c>; a scraper is <c>metrics</c>.</summary>
public static class BerthRoles
{
    /// <summary>Everything, including tokens, secrets and the audit log.</summary>
    public const string Admin = "admin";

    /// <summary>Deploys, runs and manages agents; reads everything an operator needs.</summary>
    public const string Operator = "operator";

    /// <summary>Reads agents, their logs and events; changes nothing.</summary>
    public const string Viewer = "viewer";

    /// <summary>An agent instance calling back into Berth with its own token.</summary>
    public const string Agent = "agent";

    /// <summary>A scraper's token (Prometheus): it may read <c>/metrics</c> and nothing else.</summary>
    public const string Metrics = "metrics";

    /// <summary>The roles a token created through the API can have: the user roles and <c>metrics</c>.</summary>
    public static IReadOnlyList<string> TokenRoles { get; } = [Metrics, Viewer, Operator, Admin];

    /// <summary>The roles a person's token can have, least powerful first.</summary>
    public static IReadOnlyList<string> UserRoles { get; } = [Viewer, Operator, Admin];

    /// <summary>True for <c>admin</c>, <c>operator</c> and <c>viewer</c> (exact, lowercase).</summary>
    public static bool IsUserRole(string? role) => role is Viewer or Operator or Admin;

    /// <summary>How powerful a user role is: viewer 1, operator 2, admin 3; 0 for anything else (agents included).</summary>
    public static int Rank(string? role) => role switch
    {
        Viewer => 1,
        Operator => 2,
        Admin => 3,
        _ => 0,
    };
}
