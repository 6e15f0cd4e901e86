using System.Net.Http.Headers;
using Berth.Core.Security;

namespace Berth.Cli.Auth;

/// <summary>
/// Sends the local <c>admin.token</c> only to the server that wrote it. Before the first request carries the token, one
/// GET <c>/healthz</c> with a fresh challenge must come back with the proof only that server can compute
/// (<see cref="AdminTokenProof"/>); anything else listening on the loopback port (a stand-in while the server is down)
/// gets no token and the command stops with an explanation. The result lives in this object only, for one invocation.
/// </summary>
internal sealed class LocalAdminTokenHandler(HttpMessageHandler inner, string token, string tokenPath, Uri server) : DelegatingHandler(inner)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Uri _server = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
    private volatile bool _verified;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null && request.RequestUri is { } target &&
            Uri.Compare(target, _server, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            await VerifyServerAsync(cancellationToken);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task VerifyServerAsync(CancellationToken cancellationToken)
    {
        if (_verified)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_verified)
            {
                return;
            }

            var challenge = AdminTokenProof.NewChallenge();
            using var probe = new HttpRequestMessage(HttpMethod.Get, new Uri(_server, "healthz"));
            probe.Headers.Add(AdminTokenProof.ChallengeHeader, challenge);
            using var response = await base.SendAsync(probe, cancellationToken);
            var proof = response.Headers.TryGetValues(AdminTokenProof.ProofHeader, out var values) ? values.FirstOrDefault() : null;
            if (!AdminTokenProof.Verify(token, challenge, _server.Port, proof))
            {
                throw Refusal(proof is null
                    ? $"its /healthz answered {(int)response.StatusCode} without a proof"
                    : "its /healthz proof does not match that token");
            }

            _verified = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private CliException Refusal(string why)
    {
        var address = _server.GetLeftPart(UriPartial.Authority);
        return new CliException(
            $"not sending the admin token from {tokenPath} to {address}: what answers there did not prove it is the Berth server that wrote " +
            $"that token ({why}). Another program may be listening on that port, and the token would give it admin rights. " +
            $"Start that server (berth server) or point --server/BERTH_URL at it; if you trust {address}, pass a token explicitly with --token or {Credentials.TokenVariable}",
            ExitCodes.Unauthorized);
    }
}
