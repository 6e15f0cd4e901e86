namespace Berth.Server.A2a;

/// <summary>The A2A headers Berth passes on when it reads a card itself.</summary>
internal static class A2aHeaders
{
    /// <summary>The protocol version a client asks for; an agent with v0.3 compatibility answers a v0.3-shaped card to 0.3.</summary>
    public const string Version = "A2A-Version";

    /// <summary>The client's <c>A2A-Version</c> when it is a plain version (digits and dots, short), else null: it goes into a request header.</summary>
    public static string? VersionOf(Microsoft.AspNetCore.Http.HttpRequest request) =>
        request.Headers[Version].ToString() is { Length: > 0 and <= 16 } value && value.All(c => char.IsAsciiDigit(c) || c == '.') ? value : null;
}
