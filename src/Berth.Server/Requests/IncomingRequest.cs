using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Berth.Core.Requests;
using Berth.Server.Proxy;
using Berth.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Requests;

/// <summary>A client's request to an agent, read whole so it can be stored before it is forwarded.</summary>
internal sealed record IncomingRequest(string Method, string Target, StoredMessage Message, string Fingerprint, string Caller, string? CallerAgent)
{
    /// <summary>Prefix of the headers Berth itself reads or sets; a client's own are dropped so it cannot pose as a replay.</summary>
    public const string InternalPrefix = "Berth-";

    /// <summary>Reads the body (Kestrel enforces the size limit) and keeps the headers the agent should see.</summary>
    public static async Task<IncomingRequest> ReadAsync(HttpContext context, string agentName, string target)
    {
        var incoming = context.Request;
        using var buffer = new MemoryStream();
        await incoming.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var headers = new List<KeyValuePair<string, string>>();
        var namedByConnection = HopByHopHeaders.NamedBy(incoming.Headers.Connection);
        foreach (var (name, values) in incoming.Headers)
        {
            if (HopByHopHeaders.IsHopByHop(name, namedByConnection) || ForwardingHeaders.IsSetByProxy(name) ||
                name.StartsWith(InternalPrefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            headers.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v ?? string.Empty)));
        }

        headers.Add(new("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString() ?? string.Empty));
        headers.Add(new("X-Forwarded-Proto", incoming.Scheme));
        headers.Add(new("X-Forwarded-Host", incoming.Host.Value ?? string.Empty));
        headers.Add(new("X-Forwarded-Prefix", $"/agents/{agentName}"));
        var user = context.User;
        return new IncomingRequest(
            incoming.Method,
            target,
            new StoredMessage { Headers = headers, Body = body },
            FingerprintOf(incoming.Method, target, body),
            user.Identity?.Name ?? "unknown",
            user.FindFirstValue(BerthClaims.Agent));
    }

    private static string FingerprintOf(string method, string target, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{method}\n{target}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
