using Berth.Core.Security;
using Berth.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Security;

/// <summary>Creates and revokes tokens; the one place that sees a token's text, which it returns once and never stores.</summary>
internal sealed class TokenIssuer(ITokenStore store, TokenCache cache, TimeProvider time, ILogger<TokenIssuer> logger)
{
    public async Task<(string Token, TokenRecord Record)> CreateAsync(
        string role, TimeSpan? lifetime, string? description, string createdBy, CancellationToken cancellationToken)
    {
        var token = BearerTokens.Generate();
        var now = time.GetUtcNow();
        var record = new TokenRecord
        {
            Id = BearerTokens.NewId(),
            Role = role,
            Description = description,
            Hash = BearerTokens.Hash(token),
            CreatedAt = now,
            ExpiresAt = lifetime is { } value ? now + value : null,
        };
        await store.CreateAsync(record, cancellationToken);
        SecurityLog.TokenCreated(logger, record.Id, role, createdBy);
        return (token, record);
    }

    /// <summary>Revokes the token and drops it from the cache, so it stops working on this server at once. Null when unknown.</summary>
    /// <summary>Deletes the token and evicts it from the cache, so it stops working at once on this server.</summary>
    public async Task DeleteAsync(string id, string deletedBy, CancellationToken cancellationToken)
    {
        if (await store.DeleteAsync(id, cancellationToken))
        {
            SecurityLog.TokenRevoked(logger, id, deletedBy);
        }

        cache.Evict(id);
    }

    public async Task<TokenRecord?> RevokeAsync(string id, string revokedBy, CancellationToken cancellationToken)
    {
        var record = await store.RevokeAsync(id, time.GetUtcNow(), cancellationToken);
        cache.Evict(id);
        if (record is not null)
        {
            SecurityLog.TokenRevoked(logger, id, revokedBy);
        }

        return record;
    }
}
