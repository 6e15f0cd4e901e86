namespace Berth.Server.Security;

/// <summary>
/// The key this server proves its admin token with (<see cref="Core.Security.AdminTokenProof"/>), set when the token is
/// written or found valid at start; null when there is no usable admin token, and then <c>/healthz</c> proves nothing.
/// </summary>
internal sealed class AdminTokenProofKey
{
    private volatile byte[]? _key;

    public byte[]? Key => _key;

    public void Set(string adminToken) => _key = Core.Security.AdminTokenProof.DeriveKey(adminToken);
}
