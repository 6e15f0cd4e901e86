using Microsoft.Extensions.Logging;

namespace Berth.Server.Security;

/// <summary>Log messages about tokens. None of them ever carries a token's text or hash.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "Created an admin token and wrote it to {Path} (readable by this user only). The CLI on this host finds it there; elsewhere pass it with --token or BERTH_TOKEN")]
    public static partial void AdminTokenWritten(ILogger logger, string path);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "{Path} holds a token this server does not accept ({Reason}); it was left as it is. To get a new admin token: stop the server, delete {Path} and start it again")]
    public static partial void AdminTokenRejected(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning,
        Message = "{Path} was readable by other users; its mode is now 0600")]
    public static partial void AdminTokenPermissionsFixed(ILogger logger, string path);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information,
        Message = "Token {TokenId} created with role {Role} by {Principal}")]
    public static partial void TokenCreated(ILogger logger, string tokenId, string role, string principal);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information,
        Message = "Token {TokenId} revoked by {Principal}")]
    public static partial void TokenRevoked(ILogger logger, string tokenId, string principal);
}
