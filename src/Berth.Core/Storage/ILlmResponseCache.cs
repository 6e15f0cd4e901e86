using Berth.Core.Llm;

namespace Berth.Core.Storage;

/// <summary>Berth's LLM response cache (endpoints with <c>cache.enabled</c>). Implementations are safe for concurrent use.</summary>
public interface ILlmResponseCache
{
    /// <summary>The answer cached under <paramref name="key"/> that is still served at <paramref name="now"/>, or null.</summary>
    Task<CachedAnswer?> FindAsync(string key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Keeps <paramref name="answer"/> (replacing one under its key) and drops answers expired at <paramref name="now"/>.</summary>
    Task PutAsync(CachedAnswer answer, DateTimeOffset now, CancellationToken cancellationToken);
}
