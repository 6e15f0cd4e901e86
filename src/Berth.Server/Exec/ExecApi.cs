using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Audit;
using Berth.Server.Problems;
using Berth.Server.Runtimes;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Berth.Server.Exec;

/// <summary>
/// <c>GET /api/v1/agents/{name}/exec</c> as a WebSocket: runs a command in a running instance of a container agent (operators
/// only). Everything is checked and the command started before the upgrade, so every refusal is a plain HTTP problem; the
/// session is then relayed by <see cref="ExecRelay"/>. Each started session writes an audit record naming the command (never
/// what flows through it).
/// </summary>
internal static class ExecApi
{
    public static RouteGroupBuilder MapExecApi(this RouteGroupBuilder api)
    {
        api.MapGet("/agents/{name}/exec", ExecAsync).WithTags("Agents").WithName("ExecAgent").RequireAuthorization(BerthPolicies.Operator)
            .WithDescription("A WebSocket. Query: cmd (once per argument), instance, tty, rows, cols. Frames: see docs/api.md, \"Exec frame protocol\".");
        return api;
    }

    private static async Task<IResult> ExecAsync(
        string name, HttpContext context, IAgentStore agents, IInstanceStore instances, RuntimeCatalog runtimes, AuditLog audit,
        IOptions<ExecSettings> settings, TimeProvider time)
    {
        var ct = context.RequestAborted;
        var (request, error) = ExecRequest.Read(context.Request.Query);
        if (request is null)
        {
            return Problems.Problems.BadRequest(error!);
        }

        if (await agents.GetAsync(name, ct) is not { Plugin: null } agent)
        {
            return Problems.Problems.AgentNotFound(name);
        }

        if (agent.Spec.Kind != AgentKind.Container)
        {
            return Problems.Problems.Problem(StatusCodes.Status409Conflict, "Exec is not supported for process agents", Problems.Problems.ExecNotSupportedType,
                $"Agent '{name}' runs as a local process on the server's host, not in a container, so there is nothing to exec into: a command would just run " +
                "on the host. Run it on the host yourself (as the agent's user, in its working directory), or run the agent from an image to use 'berth exec'.");
        }

        if (runtimes.For(AgentKind.Container) is not IExecRuntime driver)
        {
            return Problems.Problems.Problem(StatusCodes.Status409Conflict, "No runtime for exec", Problems.Problems.ConflictType,
                $"Cannot exec into agent '{name}': {runtimes.Explain(AgentKind.Container)}.");
        }

        var known = await instances.ListAsync(name, ct);
        string instanceId;
        if (request.Instance is { } asked)
        {
            if (known.All(i => i.InstanceId != asked))
            {
                return Problems.Problems.Problem(StatusCodes.Status404NotFound, "Instance not found", Problems.Problems.NotFoundType,
                    $"Agent '{name}' has no instance '{CallerText.Printable(asked)}'. See 'berth describe agent {name}'.");
            }

            instanceId = asked;
        }
        else if (known.Where(i => i.State is InstanceState.Running or InstanceState.Unhealthy).OrderBy(i => i.Ordinal).FirstOrDefault() is { } running)
        {
            instanceId = running.InstanceId;
        }
        else
        {
            return NotRunning(name, null);
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Problems.Problems.BadRequest("This route is a WebSocket: open it with an upgrade (berth exec NAME -- CMD does). See docs/api.md, \"Exec frame protocol\".");
        }

        IExecSession? session;
        try
        {
            session = await driver.StartExecAsync(instanceId, new ExecStart { Command = request.Command, Tty = request.Tty, Size = request.Size }, ct);
        }
        catch (RuntimeException e)
        {
            return Problems.Problems.Problem(StatusCodes.Status502BadGateway, "Exec failed", Problems.Problems.BadGatewayType, e.Message);
        }

        if (session is null)
        {
            return NotRunning(name, instanceId);
        }

        await using (session)
        {
            audit.Write(
                context.User,
                time.GetUtcNow(),
                "EXEC /api/v1/agents/{name}/exec",
                "agents.exec",
                CallerText.Printable($"name={name} instance={instanceId} command={request.AuditText()}", CallerText.AuditLength),
                StatusCodes.Status101SwitchingProtocols,
                context.Connection.RemoteIpAddress?.ToString());
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            using var relay = new ExecRelay(socket, session, settings.Value.IdleTimeout, time);
            await relay.RunAsync(ct);
        }

        return Results.Empty;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotRunning(string name, string? instance) =>
        Problems.Problems.Conflict(instance is null
            ? $"Agent '{name}' has no running instance to exec into. Start it with 'berth start {name}' and wait until it is running."
            : $"Instance '{instance}' of agent '{name}' is not running. Pick a running one (see 'berth describe agent {name}') or leave --instance out.");
}
