using System.Security.Claims;
using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Security;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Security;

/// <summary>The <c>/api/v1/tokens</c> routes (admin only): create, list and revoke user tokens.</summary>
internal static class TokensApi
{
    private const int MaxDescriptionLength = 200;

    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3650);

    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("Tokens").RequireAuthorization(BerthPolicies.Admin);
        tokens.MapPost("/", CreateAsync).WithName("CreateToken").Accepts<CreateTokenRequest>("application/json");
        tokens.MapGet("/", ListAsync).WithName("ListTokens");
        tokens.MapDelete("/{id}", RevokeAsync).WithName("RevokeToken");
        return api;
    }

    private static async Task<Results<Created<CreatedToken>, ProblemHttpResult>> CreateAsync(
        HttpContext context, TokenIssuer issuer, TimeProvider time, CancellationToken ct)
    {
        CreateTokenRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<CreateTokenRequest>(context.Request.Body, BerthJson.Options, ct);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null)
        {
            return Problems.Problems.BadRequest("The body must be JSON like {\"role\": \"viewer\", \"expires\": \"30d\", \"description\": \"ci\"}.");
        }

        if (Validate(request, out var lifetime) is { } invalid)
        {
            return Problems.Problems.BadRequest(invalid);
        }

        var callerRole = context.User.FindFirstValue(ClaimTypes.Role);
        if (BerthRoles.Rank(request.Role) > BerthRoles.Rank(callerRole))
        {
            return Problems.Problems.Problem(
                StatusCodes.Status403Forbidden, "Forbidden", BearerTokenHandler.ForbiddenType,
                $"A token with role {callerRole} cannot create a token with the more powerful role {request.Role}.");
        }

        var (token, record) = await issuer.CreateAsync(request.Role, lifetime, NullIfBlank(request.Description), PrincipalName(context), ct);
        Audit.AuditTarget.Set(context, $"id={record.Id}");
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created((string?)null, new CreatedToken(token, ToView(record, time.GetUtcNow())));
    }

    private static async Task<Ok<List<TokenView>>> ListAsync(ITokenStore store, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return TypedResults.Ok((await store.ListAsync(ct)).Select(t => ToView(t, now)).ToList());
    }

    private static async Task<Results<Ok<TokenView>, ProblemHttpResult>> RevokeAsync(
        string id, HttpContext context, TokenIssuer issuer, TimeProvider time, CancellationToken ct)
    {
        var record = await issuer.RevokeAsync(id, PrincipalName(context), ct);
        if (record is null)
        {
            return Problems.Problems.Problem(
                StatusCodes.Status404NotFound, "Token not found", Problems.Problems.NotFoundType, $"No token has id '{id}'. List tokens with 'berth tokens ls'.");
        }

        return TypedResults.Ok(ToView(record, time.GetUtcNow()));
    }

    private static string? Validate(CreateTokenRequest request, out TimeSpan? lifetime)
    {
        lifetime = null;
        if (!BerthRoles.TokenRoles.Contains(request.Role, StringComparer.Ordinal))
        {
            return $"role must be one of {string.Join(", ", BerthRoles.TokenRoles)}; got '{request.Role}'.";
        }

        if (request.Expires is { } expires)
        {
            if (!Duration.TryParse(expires, out var value) || value <= TimeSpan.Zero || value > MaxLifetime)
            {
                return $"expires must be a duration greater than 0 and at most {Duration.Format(MaxLifetime)} (10 years), like 30d or 12h; got '{expires}'.";
            }

            lifetime = value;
        }

        if (request.Description is { } description &&
            (description.Length > MaxDescriptionLength || description.Any(char.IsControl)))
        {
            return $"description must be at most {MaxDescriptionLength} characters on one line.";
        }

        return null;
    }

    private static TokenView ToView(TokenRecord token, DateTimeOffset now) => new()
    {
        Id = token.Id,
        Role = token.Role,
        Description = token.Description,
        Agent = token.AgentName,
        Status = token.RevokedAt is not null ? "revoked" : token.IsUsableAt(now) ? "active" : "expired",
        CreatedAt = token.CreatedAt,
        ExpiresAt = token.ExpiresAt,
        RevokedAt = token.RevokedAt,
        LastUsedAt = token.LastUsedAt,
    };

    private static string PrincipalName(HttpContext context) => context.User.Identity?.Name ?? "unknown";

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
