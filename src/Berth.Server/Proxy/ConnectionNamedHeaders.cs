namespace Berth.Server.Proxy;

/// <summary>
/// The header names a client listed in its <c>Connection</c> headers on one connection, as it sent them. Kestrel keeps
/// only what it understands of a <c>Connection</c> header (<c>close, X-Drop</c> reaches the app as <c>close</c>), so the
/// names are read from the connection's bytes by <see cref="ConnectionHeaderScanner"/> and kept here, per connection.
/// A name seen once is dropped from every later request on the same connection too: that only hides headers the same client
/// sent, never anyone else's.
/// </summary>
internal sealed class ConnectionNamedHeaders
{
    // A client naming more than this is not a client worth serving faithfully; the proxy then drops nothing more.
    private const int MaxNames = 64;

    private readonly Lock _gate = new();
    private HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The names seen so far (a snapshot).</summary>
    public IReadOnlySet<string> Names
    {
        get
        {
            lock (_gate)
            {
                return _names;
            }
        }
    }

    public void Add(string name)
    {
        lock (_gate)
        {
            if (_names.Count < MaxNames && !_names.Contains(name))
            {
                // copy on write, so a snapshot handed to a request never changes under it
                _names = new HashSet<string>(_names, StringComparer.OrdinalIgnoreCase) { name };
            }
        }
    }
}
