using System.Text;
using Berth.Core.Specs;
using Berth.Server.Problems;
using Berth.Server.Requests;

namespace Berth.Server.Proxy;

/// <summary>
/// A call to an agent made for a caller that is not an HTTP client of the proxy (the MCP <c>call_agent</c> tool), checked as
/// hostile input before anything runs: the agent's name is a DNS label (so it cannot name another route), the method an
/// HTTP token, the path starts with <c>/</c> and holds no control character, headers are few, short, single-line and none
/// that the proxy sets itself (<c>Authorization</c>, <c>Host</c>, <c>X-Forwarded-*</c>, <c>Berth-*</c> but <c>Berth-Wait</c>)
/// or that describe a connection. Dot segments are refused by the proxy itself, as for every client.
/// </summary>
internal sealed record AgentCall(string Name, string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public const int MaxPathLength = 4096;
    public const int MaxHeaders = 32;
    public const int MaxHeaderNameLength = 128;
    public const int MaxHeaderValueLength = 8192;
    public const int MaxBodyBytes = 1024 * 1024;

    private const string TokenCharacters = "!#$%&'*+-.^_`|~";

    /// <summary>The call, or what is wrong with it (a sentence that says how to fix it).</summary>
    public static (AgentCall? Call, string? Error) Create(string name, string method, string path, IReadOnlyDictionary<string, string>? headers, string? body)
    {
        if (!SpecNames.IsDnsLabel(name))
        {
            return (null, $"name must be an agent's name (lowercase letters, digits and '-', at most 63); got '{CallerText.Printable(name)}'.");
        }

        if (method.Length is 0 or > 32 || !method.All(IsTokenCharacter))
        {
            return (null, $"method must be an HTTP method such as GET or POST; got '{CallerText.Printable(method)}'.");
        }

        if (path.Length is 0 or > MaxPathLength || path[0] != '/' || path.Any(char.IsControl))
        {
            return (null, $"path must start with '/', be at most {MaxPathLength} characters and hold no control character; got '{CallerText.Printable(path)}'.");
        }

        headers ??= new Dictionary<string, string>();
        if (headers.Count > MaxHeaders)
        {
            return (null, $"at most {MaxHeaders} headers may be sent; got {headers.Count}.");
        }

        foreach (var (header, value) in headers)
        {
            if (HeaderError(header, value) is { } error)
            {
                return (null, error);
            }
        }

        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (bytes.Length > MaxBodyBytes)
        {
            return (null, $"body must be at most {MaxBodyBytes} bytes of UTF-8; got {bytes.Length}.");
        }

        return (new AgentCall(name, method.ToUpperInvariant(), path, headers, bytes), null);
    }

    private static string? HeaderError(string name, string value)
    {
        if (name.Length is 0 or > MaxHeaderNameLength || !name.All(IsTokenCharacter))
        {
            return $"header name '{CallerText.Printable(name)}' is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~, at most {MaxHeaderNameLength}).";
        }

        if (value.Length > MaxHeaderValueLength || value.Any(c => c != '\t' && char.IsControl(c)))
        {
            return $"header {name} must be at most {MaxHeaderValueLength} characters on one line (no CR, LF or other control character).";
        }

        if (HopByHopHeaders.IsHopByHop(name, new HashSet<string>()))
        {
            return $"header {name} describes a connection, not a request; leave it out.";
        }

        if (ForwardingHeaders.IsSetByProxy(name) && !name.Equals(DurableProxy.WaitHeader, StringComparison.OrdinalIgnoreCase))
        {
            return $"header {name} is set by Berth's proxy, never by a caller (your identity is Berth's token, which the agent never sees); leave it out.";
        }

        return null;
    }

    private static bool IsTokenCharacter(char c) => char.IsAsciiLetterOrDigit(c) || TokenCharacters.Contains(c, StringComparison.Ordinal);
}
