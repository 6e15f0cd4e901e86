namespace Berth.Server.Security;

/// <summary>Claim types Berth puts on a principal besides <c>ClaimTypes.Role</c> and <c>ClaimTypes.Name</c>.</summary>
public static class BerthClaims
{
    /// <summary>The id of the token the request authenticated with.</summary>
    public const string TokenId = "berth:token";

    /// <summary>The agent an agent principal speaks for (agent tokens only).</summary>
    public const string Agent = "berth:agent";

    /// <summary>The instance an agent principal runs as (agent tokens only).</summary>
    public const string Instance = "berth:instance";

    /// <summary>The workflow run a token was minted for (a step's call to an agent); absent otherwise.</summary>
    public const string Run = "berth:run";

    /// <summary>The step of <see cref="Run"/> a token was minted for; absent otherwise.</summary>
    public const string Step = "berth:step";
}
