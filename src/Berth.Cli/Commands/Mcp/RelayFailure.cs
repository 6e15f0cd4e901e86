using System.Net;
using ModelContextProtocol;

namespace Berth.Cli.Commands.Mcp;

/// <summary>
/// Why a message could not be relayed, worded like the rest of the CLI's errors: the same text goes to the MCP client as
/// a JSON-RPC error and to stderr for whoever reads the client's logs.
/// </summary>
internal sealed record RelayFailure(int Code, string Message)
{
    /// <summary>JSON-RPC's "internal error": the relay, not the request, failed.</summary>
    private const int InternalError = -32603;

    /// <summary>JSON-RPC's "invalid request": the message itself cannot be relayed.</summary>
    private const int InvalidRequest = -32600;

    public static RelayFailure From(Exception exception, CliSession session)
    {
        var server = session.ServerAddress.GetLeftPart(UriPartial.Authority);
        return exception switch
        {
            McpProtocolException protocol => new((int)protocol.ErrorCode, protocol.Message),
            // A tool or prompt name becomes the Mcp-Name header: one that would split headers is never sent.
            FormatException format => new(InvalidRequest, $"this message cannot be sent to Berth: {format.Message}"),
            CliException cli => new(InternalError, cli.Message),
            HttpRequestException { StatusCode: HttpStatusCode.Unauthorized } => new(InternalError, Unauthorized(session)),
            HttpRequestException { StatusCode: HttpStatusCode.Forbidden } http => new(InternalError,
                $"{server} refused the request (HTTP 403): {http.Message}"),
            HttpRequestException { StatusCode: HttpStatusCode.NotFound } => new(InternalError,
                $"{server} no longer knows this MCP session (HTTP 404), for example because it restarted: reconnect the MCP client"),
            HttpRequestException { StatusCode: null, HttpRequestError: HttpRequestError.SecureConnectionError } http => new(InternalError,
                $"no TLS connection to Berth at {server} ({http.InnerException?.Message ?? http.Message}); if the server's certificate comes from a private CA, pass --ca-cert FILE or set BERTH_CA_CERT"),
            HttpRequestException { StatusCode: null } http => new(InternalError,
                $"cannot reach Berth at {server} ({http.InnerException?.Message ?? http.Message}): start it with 'berth server' or pass --server"),
            HttpRequestException http => new(InternalError, $"talking to Berth at {server} failed: {http.Message}"),
            _ => new(InternalError, $"relaying to Berth at {server} failed: {exception.Message}"),
        };
    }

    private static string Unauthorized(CliSession session)
    {
        var credentials = session.Credentials;
        var server = credentials.Server.GetLeftPart(UriPartial.Authority);
        var sent = credentials.Token is null ? "no token was sent" : $"the token from {credentials.TokenSource} was rejected";
        return $"{server} needs a token; {sent}. Pass --token, set {Auth.Credentials.TokenVariable} or run 'berth login --server {server} --token TOKEN' " +
            $"(on the server's host: {Auth.Credentials.AdminTokenFileName} in $BERTH_DATA_DIR or ~/.berth)";
    }
}
