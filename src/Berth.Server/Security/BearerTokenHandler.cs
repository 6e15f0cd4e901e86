using System.Security.Claims;
using System.Text.Encodings.Web;
using Berth.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer berth_…</c>. No header is no result (the route's policy then challenges
/// with 401); a header that is malformed or names an unknown, expired or revoked token fails with a reason that
/// the 401 problem and the <c>WWW-Authenticate</c> header carry to the caller.
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TokenCache tokens,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Bearer";

    public const string UnauthorizedType = "urn:berth:problem:unauthorized";

    public const string ForbiddenType = "urn:berth:problem:forbidden";

    private const string BearerPrefix = "Bearer ";

    private const string HowToAuthenticate =
        "Send 'Authorization: Bearer <token>'. With the CLI: --token, BERTH_TOKEN or 'berth login'; on the server's host the admin token is in admin.token in its data directory.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers.Authorization;
        if (headers.Count == 0)
        {
            // Anthropic's SDKs send their key as x-api-key; on the LLM gateway a Berth token may come that way, so a client
            // swaps its base URL and key and nothing else.
            return Context.GetEndpoint()?.Metadata.GetMetadata<ApiKeyHeaderAccepted>() is not null && Request.Headers[ApiKeyHeaderAccepted.Header] is [{ } key]
                ? await AuthenticateAsync(key.Trim())
                : AuthenticateResult.NoResult();
        }

        if (headers.Count > 1)
        {
            return AuthenticateResult.Fail("The request has more than one Authorization header; send exactly one.");
        }

        var header = headers[0] ?? "";
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <token>'.");
        }

        return await AuthenticateAsync(header[BearerPrefix.Length..].Trim());
    }

    private async Task<AuthenticateResult> AuthenticateAsync(string text)
    {
        if (!BearerTokens.IsWellFormed(text))
        {
            return AuthenticateResult.Fail($"The bearer token is malformed: Berth tokens are '{BearerTokens.Prefix}' followed by 43 base64url characters.");
        }

        var token = await tokens.FindAsync(BearerTokens.Hash(text), Context.RequestAborted);
        var now = clock.GetUtcNow();
        if (token is null)
        {
            return AuthenticateResult.Fail("The bearer token is not known to this server.");
        }

        if (token.RevokedAt is { } revoked)
        {
            return AuthenticateResult.Fail($"Token {token.Id} was revoked at {revoked.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z; ask an admin for a new one.");
        }

        if (token.ExpiresAt is { } expires && expires <= now)
        {
            return AuthenticateResult.Fail($"Token {token.Id} expired at {expires.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z; ask an admin for a new one.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(ToPrincipal(token), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var reason = result.Failure?.Message;
        var challenge = reason is null
            ? "Bearer realm=\"berth\""
            : $"Bearer realm=\"berth\", error=\"invalid_token\", error_description=\"{HeaderSafe(reason)}\"";

        // MCP clients find how to authenticate from the protected-resource document the challenge names (RFC 9728).
        Response.Headers.WWWAuthenticate = Context.GetEndpoint()?.Metadata.GetMetadata<Mcp.McpEndpointMetadata>() is null
            ? challenge
            : $"{challenge}, {Mcp.ProtectedResourceDocument.ChallengeParameter(Request)}";
        var detail = reason is null ? $"This route needs a bearer token. {HowToAuthenticate}" : $"{reason} {HowToAuthenticate}";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", UnauthorizedType, detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"berth\", error=\"insufficient_scope\"";
        var who = Context.User.Identity?.Name ?? "this token";
        var role = Context.User.FindFirstValue(ClaimTypes.Role) ?? "none";
        var detail = $"{who} (role {role}) may not {Request.Method} {Request.Path}. See docs/security.md for which role each route needs.";
        await WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", ForbiddenType, detail);
    }

    private Task WriteProblemAsync(int status, string title, string type, string detail)
    {
        Response.Headers.CacheControl = "no-store";
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type).ExecuteAsync(Context);
    }

    private static ClaimsPrincipal ToPrincipal(TokenRecord token)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Role, token.Role),
            new(BerthClaims.TokenId, token.Id),

            // The stable identity an MCP session is bound to, so another token cannot take over a session by its id.
            new(ClaimTypes.NameIdentifier, token.Id),
        };
        if (token.Role == BerthRoles.Agent && token.AgentName is { } agent)
        {
            claims.Add(new Claim(BerthClaims.Agent, agent));
            claims.Add(new Claim(BerthClaims.Instance, token.InstanceId ?? ""));
            claims.Add(new Claim(ClaimTypes.Name, token.RunId is { } run ? $"agent:{agent}/run:{run}" : $"agent:{agent}/{token.InstanceId}"));
            if (token.RunId is { } runId && token.StepId is { } stepId)
            {
                claims.Add(new Claim(BerthClaims.Run, runId));
                claims.Add(new Claim(BerthClaims.Step, stepId));
            }
        }
        else
        {
            claims.Add(new Claim(ClaimTypes.Name, $"token:{token.Id}"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
    }

    // A quoted-string in WWW-Authenticate cannot hold quotes or backslashes, nor anything outside printable ASCII.
    private static string HeaderSafe(string text) =>
        new(text.Select(c => c is '"' or '\\' || c < ' ' || c > '~' ? '\'' : c).ToArray());
}
