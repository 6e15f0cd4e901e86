using Berth.Core.Security;
using Berth.Core.Storage;

namespace Berth.Server.Tests.Fakes;

/// <summary>A token store with one token that counts its reads and writes; reads wait for <see cref="Release"/> while held.</summary>
internal sealed class CountingTokenStore(TokenRecord token) : ITokenStore
{
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _finds;
    private int _touches;

    /// <summary>True: lookups wait for <see cref="Release"/>.</summary>
    public bool Hold { get; set; }

    public int Finds => Volatile.Read(ref _finds);

    public int Touches => Volatile.Read(ref _touches);

    public void Release()
    {
        Hold = false;
        _gate.TrySetResult();
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<TokenRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _finds);
        if (Hold)
        {
            await _gate.Task.WaitAsync(cancellationToken);
        }

        return hash == token.Hash ? token : null;
    }

    public Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _touches);
        return Task.CompletedTask;
    }

    public Task CreateAsync(TokenRecord token, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<TokenRecord?> GetAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<TokenRecord>> ListAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<TokenRecord>> ListForAgentAsync(string agentName, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> AnyAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<TokenRecord?> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) => throw new NotSupportedException();
}
