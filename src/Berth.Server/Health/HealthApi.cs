using Berth.Client.Contracts;
using Berth.Core.Security;
using Berth.Server.Cluster;
using Berth.Server.Hosting;
using Berth.Server.Runtimes;
using Berth.Server.Security;
using Berth.Storage.Sql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Berth.Server.Health;

/// <summary><c>/healthz</c> (the process is alive) and <c>/readyz</c> (it can take work, and with which runtimes).</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Alive).WithTags("Health").AllowAnonymous();
        app.MapGet("/readyz", Ready).WithTags("Health").RequireAuthorization(BerthPolicies.Viewer);
        return app;
    }

    /// <summary>
    /// "ok"; with a <see cref="AdminTokenProof.ChallengeHeader"/>, also the proof that this server wrote the local admin
    /// token, which the CLI checks before sending that token to whatever listens on a loopback port.
    /// </summary>
    private static ContentHttpResult Alive(HttpContext context, AdminTokenProofKey proofKey)
    {
        var challenge = context.Request.Headers[AdminTokenProof.ChallengeHeader].ToString();
        if (proofKey.Key is { } key && AdminTokenProof.IsValidChallenge(challenge))
        {
            context.Response.Headers[AdminTokenProof.ProofHeader] = AdminTokenProof.Compute(key, challenge, context.Connection.LocalPort);
        }

        return TypedResults.Text("ok");
    }

    private static Results<Ok<ServerInfo>, JsonHttpResult<ServerInfo>> Ready(
        RuntimeCatalog runtimes, DataDisk disk, StoreDatabase store, Leadership leadership, IOptions<BerthOptions> options)
    {
        var available = runtimes.AvailableNames;
        var problems = new List<string>();
        if (available.Count == 0)
        {
            problems.Add("No runtime driver answers.");
        }

        if (disk.CheckFull())
        {
            problems.Add(disk.Describe());
        }

        var info = new ServerInfo
        {
            Status = problems.Count == 0 ? "ready" : "not-ready",
            Version = ServerVersion.Informational,
            Runtimes = available,
            Store = store.Dialect.Name,
            Server = leadership.ServerId,
            Leader = leadership.IsLeader ? leadership.ServerId : leadership.Leader,
            DataDirectory = options.Value.DataDir,
            Problems = problems,
        };
        return problems.Count == 0 ? TypedResults.Ok(info) : TypedResults.Json(info, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
