using Berth.Core.Security;

namespace Berth.Core.Storage;

/// <summary>Bearer tokens, stored by hash. The token text itself is never stored.</summary>
public interface ITokenStore
{
    /// <summary>Stores a new token. Throws <see cref="InvalidOperationException"/> when its id or hash is already taken.</summary>
    Task CreateAsync(TokenRecord token, CancellationToken cancellationToken);

    /// <summary>The token whose <see cref="TokenRecord.Hash"/> is <paramref name="hash"/>, revoked and expired ones included; null when unknown. Indexed: one lookup per call.</summary>
    Task<TokenRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken);

    /// <summary>The token with <paramref name="id"/>; null when unknown.</summary>
    Task<TokenRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every token, revoked and expired ones included, oldest first.</summary>
    Task<IReadOnlyList<TokenRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The tokens issued to instances of <paramref name="agentName"/>, oldest first. Indexed by agent.</summary>
    Task<IReadOnlyList<TokenRecord>> ListForAgentAsync(string agentName, CancellationToken cancellationToken);

    /// <summary>Deletes the token; false when unknown. Used for agent tokens, which have no use once their instance is gone.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>True when at least one token has ever been created (revoked ones count).</summary>
    Task<bool> AnyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Marks the token revoked at <paramref name="at"/> and returns it; a token already revoked keeps its first revocation time.
    /// Null when no token has <paramref name="id"/>.
    /// </summary>
    Task<TokenRecord?> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records that the token was used at <paramref name="at"/>; no-op when unknown.</summary>
    Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}
