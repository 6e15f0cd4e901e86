using System.Text.Json.Nodes;

namespace Berth.Server.Plugins.Contract;

/// <summary>
/// What a plugin answered to <c>POST /execute</c>: <c>{"success": true, "outputs": {…}}</c>, or <c>{"success": false,
/// "error": {"class", "message"}}</c>. <see cref="Problem"/> is set instead when the answer broke the contract.
/// </summary>
internal sealed record ExecuteAnswer
{
    /// <summary>The HTTP status the plugin answered with.</summary>
    public required int Status { get; init; }

    /// <summary>Whether the plugin said it succeeded.</summary>
    public bool Success { get; init; }

    /// <summary>The outputs of a success.</summary>
    public JsonObject? Outputs { get; init; }

    /// <summary>The error class the plugin gave for a failure (its own words, like <c>user</c> or <c>rate-limited</c>).</summary>
    public string? ErrorClass { get; init; }

    /// <summary>The plugin's message for a failure.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>How the answer broke the contract (not JSON, no <c>success</c>, too large); null when it kept it.</summary>
    public string? Problem { get; init; }
}
