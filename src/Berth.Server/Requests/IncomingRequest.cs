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
    /// <summary>Whose idempotency keys the caller's are: its agent's (every instance of it alike), else its token's.</summary>
    public string IdempotencyScope => CallerAgent is { } agent ? $"agent:{agent}" : Caller;

    /// <summary>
    /// Reads the body and keeps the headers the agent should see; null when the body is longer than <paramref name="maxBody"/>
    /// bytes (it is not read further, so a chunked body cannot grow past the limit in memory).
    /// </summary>
    public static async Task<IncomingRequest?> ReadAsync(HttpContext context, string agentName, string target, long maxBody)
    {
        var incoming = context.Request;
        if (incoming.ContentLength > maxBody)
        {
            return null;
        }

        // Sized from Content-Length, but never trusting a claimed size beyond 1 MiB before the body has arrived.
        using var buffer = new MemoryStream((int)Math.Min(incoming.ContentLength ?? 0, 1 << 20));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await incoming.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBody)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        var body = buffer.ToArray();
        var headers = ForwardingHeaders.FromClient(context)
            .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? string.Empty)))
            .Concat(ForwardingHeaders.Added(context, agentName))
            .ToList();
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
